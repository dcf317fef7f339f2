namespace MlFunctions.Local.Cli;

/// <summary>Positional arguments and '--name value' options.</summary>
internal sealed record CommandLine(IReadOnlyList<string> Positional, IReadOnlyDictionary<string, string> Options)
{
    public static CommandLine Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(list[i]);
                continue;
            }
            if (i + 1 >= list.Count)
            {
                throw new ArgumentException($"{list[i]} needs a value.");
            }
            options[list[i][2..]] = list[++i];
        }
        return new CommandLine(positional, options);
    }

    public string? Option(string name) => Options.GetValueOrDefault(name);

    public string Require(string name) => Option(name) ?? throw new ArgumentException($"--{name} is required.");

    /// <summary>The options other than <paramref name="taken"/>, for a function's own parameters.</summary>
    public IReadOnlyDictionary<string, string> Except(params string[] taken) =>
        Options.Where(kv => !taken.Contains(kv.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
}
