using MlFunctions.Local.Cli;

// One executable: with no command (or 'serve') it hosts every function; otherwise it runs a CLI command.
return await LocalCommands.InvokeAsync(args);
