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
            Assert.True(Catalog.Find(handler) is not null || Catalog.Triggers.Any(t => t.Name == handler), $"{id} serves '{handler}', which is not in the catalog.");
            Assert.Contains(id, Makefile);
        }
    }

    [Fact]
    public void Every_storage_trigger_is_a_lambda_on_the_bucket_events_of_its_prefixes()
    {
        var functions = Functions();
        foreach (var trigger in Catalog.Triggers)
        {
            var block = functions.Values.SingleOrDefault(b => b.Contains($"Handler: {trigger.Name}\n", StringComparison.Ordinal));
            Assert.True(block is not null, $"template.yaml has no function with Handler: {trigger.Name}");
            var prefixes = PrefixRule().Matches(block).Select(m => m.Groups[1].Value).Order().ToArray();
            Assert.Equal(trigger.Prefixes.Order(), prefixes);
            Assert.Equal(trigger.Prefixes.Count, Regex.Matches(block, "Type: S3\n").Count);
            Assert.Contains("Bucket: !Ref Bucket", block);
            Assert.Contains("Events: s3:ObjectCreated:*", block);
            if (trigger.Suffix is not null)
            {
                Assert.Contains($"Name: suffix\n                    Value: {trigger.Suffix}\n", block);
            }
        }
    }

    [Fact]
    public void Functions_that_read_or_write_the_bucket_have_a_policy_for_it_and_know_its_name()
    {
        Assert.Contains("MLF_BUCKET: !Ref BucketName", Template);
        foreach (var name in new[] { "predict", "features", "jobs", "on-upload", "retrain" })
        {
            var block = Functions().Values.Single(b => b.Contains($"Handler: {name}\n", StringComparison.Ordinal));
            Assert.Matches(@"- S3(Read|Crud)Policy:\n\s+BucketName: !Ref BucketName", block);
        }
    }

    [Fact]
    public void The_registrys_writes_are_behind_iam_on_their_own_route_and_may_write_the_bucket()
    {
        var functions = Functions();
        Assert.Contains(Catalog.Functions, f => f.Admin);
        foreach (var function in Catalog.Functions)
        {
            var block = functions.Values.Single(b => b.Contains($"Handler: {function.Name}\n", StringComparison.Ordinal));
            Assert.Equal(function.Admin, block.Contains("Auth:\n              Authorizer: AWS_IAM\n", StringComparison.Ordinal) || block.EndsWith("Authorizer: AWS_IAM", StringComparison.Ordinal));
            if (function.Admin)
            {
                Assert.Matches(@"- S3CrudPolicy:\n\s+BucketName: !Ref BucketName", block);
            }
        }
    }

    [Fact]
    public void The_http_api_requires_iam_by_default_and_documents_jwt()
    {
        var api = ResourceBlock().Matches(Template).Single(m => m.Groups["id"].Value == "HttpApi").Groups["body"].Value;
        Assert.Contains("EnableIamAuthorizer: true", api);
        Assert.Contains("DefaultAuthorizer: AWS_IAM", api);
        Assert.Contains("#     DefaultAuthorizer: Jwt", Template);
    }

    [Fact]
    public void Functions_run_on_amazon_linux_2023_with_a_choice_of_architecture()
    {
        Assert.Contains("Runtime: provided.al2023", Template);
        Assert.Contains("AllowedValues: [x86_64, arm64]", Template);
    }

    [Fact]
    public async Task Cfn_lint_finds_nothing_in_the_template()
    {
        var lint = await CfnLintAsync(Path.Combine(RepoPaths.Root, "template.yaml"));

        Assert.True(lint.ExitCode == 0, $"cfn-lint (exit {lint.ExitCode}):\n{lint.Output}{lint.Error}");
    }

    [Fact]
    public async Task Cfn_lint_finds_what_is_wrong_in_a_broken_copy()
    {
        // The pass above means something only if the linter really reads the template and SAM's types.
        var broken = Path.Combine(Path.GetTempPath(), $"mlf-template-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(broken, Template.Replace("Runtime: provided.al2023", "Runtime: provided.al1999", StringComparison.Ordinal));
        try
        {
            var lint = await CfnLintAsync(broken);

            Assert.NotEqual(0, lint.ExitCode);
            Assert.Contains("provided.al1999", lint.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    /// <summary>
    /// AWS's cfn-lint (the Python package, which knows SAM's current types: HTTP APIs, Architectures),
    /// as this kind of machine has it. npm's cfn-lint carries a 2019 specification that rejects both.
    /// </summary>
    private static async Task<ProcessRunner.Result> CfnLintAsync(string template)
    {
        try
        {
            return await ProcessRunner.RunAsync("cfn-lint", ["--format", "parseable", "--", template], TimeSpan.FromMinutes(2));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("cfn-lint is not on PATH: template.yaml is validated with AWS's cfn-lint (pip install cfn-lint).", e);
        }
    }

    [GeneratedRegex(@"- Name: prefix\n\s+Value: (\S+)\n")]
    private static partial Regex PrefixRule();

    [GeneratedRegex(@"^  (?<id>\w+):\n(?<body>(?:    .*\n|\n)+)", RegexOptions.Multiline)]
    private static partial Regex ResourceBlock();
}
