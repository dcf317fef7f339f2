namespace MlFunctions.Local.Cli;

/// <summary>Positional arguments and '--name value' options; one option is required and kept apart.</summary>
internal sealed record CommandLine(IReadOnlyList<string> Positional, IReadOnlyDictionary<string, string> Options, string Required)
{
    public static CommandLine Parse(string[] args, string required)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(args[i]);
                continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value.");
            }
            options[args[i][2..]] = args[++i];
        }
        if (!options.Remove(required, out var value))
        {
            throw new ArgumentException($"--{required} is required.");
        }
        return new CommandLine(positional, options, value);
    }
}
