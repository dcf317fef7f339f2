using MlFunctions.Trainer;

return args.FirstOrDefault() switch
{
    "train" => await TrainCommand.RunAsync(args[1..], Console.Out, Console.Error),
    _ => TrainCommand.Usage(Console.Error),
};
