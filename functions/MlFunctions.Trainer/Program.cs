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
return await TrainerCommands.InvokeAsync(args);
