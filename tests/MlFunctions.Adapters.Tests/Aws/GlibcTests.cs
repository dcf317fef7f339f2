using System.Text.RegularExpressions;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aws;

/// <summary>Lambda's provided.al2023 runtime has glibc 2.34: nothing we ship may need a newer one.</summary>
public sealed partial class GlibcTests
{
    private static readonly Version AmazonLinux2023 = new(2, 34);

    [Fact]
    public async Task The_bootstrap_and_its_native_libraries_need_no_glibc_newer_than_amazon_linux_2023s()
    {
        var bootstrap = await AotPublisher.PublishAsync("functions", "MlFunctions.Aws", "bootstrap");
        var files = Directory.GetFiles(Path.GetDirectoryName(bootstrap)!, "*.so").Prepend(bootstrap);

        foreach (var file in files)
        {
            // objdump comes with binutils, which the C toolchain that links Native AOT brings.
            var symbols = await ProcessRunner.RunAsync("objdump", ["-T", file], TimeSpan.FromMinutes(1));
            Assert.True(symbols.ExitCode == 0, symbols.Error);
            var versions = GlibcVersion().Matches(symbols.Output).Select(m => Version.Parse(m.Groups[1].Value)).ToArray();
            Assert.NotEmpty(versions);
            Assert.True(versions.Max() <= AmazonLinux2023, $"{Path.GetFileName(file)} needs GLIBC_{versions.Max()}, newer than Amazon Linux 2023's 2.34.");
        }
    }

    [GeneratedRegex(@"GLIBC_(\d+\.\d+(?:\.\d+)?)")]
    private static partial Regex GlibcVersion();
}
