using System.Buffers.Binary;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Aot;

/// <summary>
/// Every AOT function binary is linked at a fixed address (an ELF executable, not a position-independent
/// one) and keeps ILC's data undehydrated, so a cold start reads that data from the mapped file instead of
/// writing every page of it (Directory.Build.targets says why). A build setting that silently went back
/// would cost each cold start about 10 ms; this catches the linking one.
/// </summary>
public sealed class StartupLayoutTests
{
    private const ushort FixedAddressExecutable = 2; // ET_EXEC; a PIE is ET_DYN (3)

    [Theory]
    [InlineData("MlFunctions.Aws", "bootstrap")]
    [InlineData("MlFunctions.Azure", "MlFunctions.Azure")]
    [InlineData("MlFunctions.Gcp", "MlFunctions.Gcp")]
    public async Task The_function_binary_is_linked_at_a_fixed_address_and_needs_no_relocation(string project, string binary)
    {
        var path = await AotPublisher.PublishAsync("functions", project, binary);

        var header = new byte[64];
        await using (var file = File.OpenRead(path))
        {
            await file.ReadExactlyAsync(header);
        }
        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        Assert.Equal(FixedAddressExecutable, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(16)));

        // readelf comes with binutils, which the C toolchain that links Native AOT brings.
        var relocations = await ProcessRunner.RunAsync("readelf", ["--relocs", "--wide", path], TimeSpan.FromMinutes(1));
        Assert.True(relocations.ExitCode == 0, relocations.Error);
        var relative = relocations.Output.Split('\n').Count(line => line.Contains("R_X86_64_RELATIVE", StringComparison.Ordinal));
        Assert.True(relative < 100, $"{binary} has {relative} relative relocations for the loader to apply at start-up.");
    }
}
