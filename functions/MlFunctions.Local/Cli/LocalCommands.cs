using System.CommandLine;

namespace MlFunctions.Local.Cli;

/// <summary>
/// The executable's command line (System.CommandLine): serve (the default), resize, features and
/// format, each with --help. A user's mistake is one line on standard error and exit code 2, never a
/// stack trace; the work's own failures are exit code 1.
/// </summary>
internal static class LocalCommands
{
    public const int UsageError = 2;

    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("MlFunctions: ML pre-processing, post-processing and light inference as functions, on this machine.");
        var serveOptions = ServeOptions();
        foreach (var option in serveOptions)
        {
            root.Options.Add(option);
        }
        root.SetAction((result, _) => ServeAsync(args));
        var serve = new Command("serve", "Serve every function on http://127.0.0.1:<port>/api/<name> (the default command); GET / lists them. Watches the bucket folder: files dropped into it start on-upload and retraining.");
        foreach (var option in serveOptions)
        {
            serve.Options.Add(option);
        }
        serve.SetAction((result, _) => ServeAsync(args[1..]));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(Resize());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(Format());

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command == root ? "mlfunctions" : parsed.CommandResult.Command.Name;
            await Console.Error.WriteLineAsync($"{command}: {(parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0]).Message} (--help lists the options)").ConfigureAwait(false);
            return UsageError;
        }
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }

    private static Option<string>[] ServeOptions() =>
    [
        new("--port") { Description = "The port (MLF_PORT); 0 for any free one.", HelpName = "7071" },
        new("--bucket") { Description = "The bucket folder models are served from and files are dropped into (MLF_BUCKET).", HelpName = "./bucket" },
        new("--host") { Description = "The address to listen on (MLF_HOST); any but loopback needs an API key.", HelpName = "127.0.0.1" },
        new("--api-key") { Description = "The key every request but /healthz must carry, 16 characters or more (MLF_API_KEY).", HelpName = "KEY" },
    ];

    private static Task<int> ServeAsync(string[] args) => LocalHost.RunAsync(args);

    private static Command Resize()
    {
        var paths = new Argument<string[]>("paths") { Description = "Image files, or folders of them.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "The folder the resized images go to.", Required = true, HelpName = "DIR" };
        Option<string>[] parameters =
        [
            new("--width") { Description = "1 to 8192; give one or both sides (one keeps the aspect ratio)." },
            new("--height") { Description = "1 to 8192." },
            new("--fit") { Description = "contain, cover (the default), fill or pad." },
            new("--format") { Description = "jpeg, png or webp (the input's by default)." },
            new("--quality") { Description = "1 to 100 (JPEG and WebP; 85)." },
            new("--background") { Description = "Pad and flatten colour, #rrggbb." },
        ];
        var command = new Command("resize", "Resize images into a folder, with progress and a summary (the resize function over files).") { paths, output };
        foreach (var option in parameters)
        {
            command.Options.Add(option);
        }
        command.SetAction((result, cancellationToken) => ResizeCommand.RunAsync(
            result.GetValue(paths)!, result.GetValue(output)!,
            parameters.Where(o => result.GetValue(o) is not null).ToDictionary(o => o.Name[2..], o => result.GetValue(o)!),
            Console.Out, cancellationToken));
        return command;
    }

    private static Command Format()
    {
        var request = new Argument<string>("request") { Description = "A JSON request as POST /api/format takes it, or - for standard input." };
        var command = new Command("format", "Format scores or logits (labels, probabilities, top-k, detections), as POST /api/format does.") { request };
        command.SetAction((result, _) => InvokeCommand.RunAsync("format", result.GetValue(request)!, Console.In, Console.Out, Console.Error));
        return command;
    }
}
