using MlFunctions.Trainer;

if (args.Length == 0 && LambdaMode.IsLambda)
{
    return await LambdaMode.RunAsync();
}
if (args.Length == 0 && (ServerMode.IsAzure || ServerMode.IsGoogle))
{
    return await ServerMode.RunAsync();
}
return args.FirstOrDefault() switch
{
    "train" => await TrainCommand.RunAsync(args[1..], Console.Out, Console.Error),
    "retrain" => await RetrainCommand.RunAsync(args[1..], Console.Out, Console.Error),
    "register" => await RegisterCommand.RunAsync(args[1..], Console.Out, Console.Error),
    _ => TrainCommand.Usage(Console.Error),
};
