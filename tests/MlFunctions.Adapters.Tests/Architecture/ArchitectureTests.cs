using System.Reflection;
using MlFunctions.Core.Catalog;
using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Architecture;

/// <summary>The rules of the layout that the compiler does not check.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(FunctionCatalog).Assembly;

    [Fact]
    public void Core_references_neither_ml_net_nor_the_training_library_nor_any_adapter()
    {
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.ML", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("MlFunctions.", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void The_local_host_reaches_ml_net_only_through_the_training_library()
    {
        var references = typeof(LocalHost).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.ML", StringComparison.Ordinal));
    }

    [Fact]
    public void The_readme_documents_every_function_with_its_route()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var catalog = TestCatalog.Instance;

        Assert.All(catalog.Functions, function => Assert.Contains($"### {function.Name}: `{function.Method} {function.Route}", readme));
    }
}
