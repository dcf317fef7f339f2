using MlFunctions.Local;
using MlFunctions.Local.Cli;

// One executable: with no command (or 'serve') it hosts every function; otherwise it runs a CLI command.
var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
return command switch
{
    "serve" => await LocalHost.RunAsync(rest),
    "resize" => await ResizeCommand.RunAsync(rest, Console.Out, CancellationToken.None),
    "features" => FeaturesCommand.Run(rest, Console.Out, Console.Error),
    "format" => await InvokeCommand.RunAsync("format", rest, Console.In, Console.Out, Console.Error),
    "help" or "--help" or "-h" => Usage.Print(Console.Out),
    _ => Usage.Unknown(command, Console.Error),
};
