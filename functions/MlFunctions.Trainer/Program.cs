using MlFunctions.Trainer;

// The platform's retrain function when a platform starts it with no arguments; built in per MlfCloud.
#if MLF_AWS
if (args.Length == 0 && LambdaMode.IsLambda)
{
    return await LambdaMode.RunAsync();
}
#endif
#if MLF_AZURE || MLF_GCP
if (args.Length == 0 && (ServerMode.IsAzure || ServerMode.IsGoogle))
{
    return await ServerMode.RunAsync();
}
#endif
return args.FirstOrDefault() switch
{
    "train" => await TrainCommand.RunAsync(args[1..], Console.Out, Console.Error),
    "retrain" => await RetrainCommand.RunAsync(args[1..], Console.Out, Console.Error),
    "register" => await RegisterCommand.RunAsync(args[1..], Console.Out, Console.Error),
    _ => TrainCommand.Usage(Console.Error),
};
