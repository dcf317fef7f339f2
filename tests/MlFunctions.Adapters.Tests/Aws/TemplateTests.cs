using System.Text.RegularExpressions;
using MlFunctions.Core.Catalog;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>template.yaml and the Makefile against the catalog: every function deployed, with its handler, route and build.</summary>
public sealed partial class TemplateTests
{
    private static readonly string Template = File.ReadAllText(Path.Combine(RepoPaths.Root, "template.yaml"));
    private static readonly string Makefile = File.ReadAllText(Path.Combine(RepoPaths.Root, "Makefile"));
    private static readonly FunctionCatalog Catalog = TestCatalog.Instance;

    /// <summary>Each AWS::Serverless::Function resource: its logical id and its text.</summary>
    private static Dictionary<string, string> Functions() => ResourceBlock().Matches(Template)
        .Where(m => m.Groups["body"].Value.Contains("Type: AWS::Serverless::Function", StringComparison.Ordinal))
        .ToDictionary(m => m.Groups["id"].Value, m => m.Groups["body"].Value);

    [Fact]
    public void Every_catalog_function_is_a_lambda_with_its_handler_route_and_method()
    {
        var functions = Functions();
        foreach (var function in Catalog.Functions)
        {
            var block = functions.Values.SingleOrDefault(b => b.Contains($"Handler: {function.Name}\n", StringComparison.Ordinal));
            Assert.True(block is not null, $"template.yaml has no function with Handler: {function.Name}");
            Assert.Contains($"Path: {function.Route}\n", block);
            Assert.Contains($"Method: {function.Method}\n", block);
            Assert.Contains("BuildMethod: makefile", block);
        }
    }

    [Fact]
    public void Every_lambda_serves_a_catalog_function_and_the_makefile_builds_it()
    {
        foreach (var (id, block) in Functions())
        {
            var handler = Regex.Match(block, @"Handler: (\S+)").Groups[1].Value;
            Assert.True(Catalog.Find(handler) is not null, $"{id} serves '{handler}', which is not in the catalog.");
            Assert.Contains(id, Makefile);
        }
    }

    [Fact]
    public void Functions_run_on_amazon_linux_2023_with_a_choice_of_architecture()
    {
        Assert.Contains("Runtime: provided.al2023", Template);
        Assert.Contains("AllowedValues: [x86_64, arm64]", Template);
    }

    [GeneratedRegex(@"^  (?<id>\w+):\n(?<body>(?:    .*\n|\n)+)", RegexOptions.Multiline)]
    private static partial Regex ResourceBlock();
}
