using MlFunctions.Core.Imaging;
using MlFunctions.Testing;

namespace MlFunctions.Core.Tests.Imaging;

/// <summary>The warm-up runs the real image path, so what it primes is what a first request uses.</summary>
public sealed class SkiaWarmUpTests
{
    [Fact]
    public void Priming_encodes_decodes_and_resizes_a_real_jpeg()
    {
        var primed = SkiaWarmUp.Prime();

        Assert.Equal(ImageFormat.Jpeg, primed.Format);
        var pixels = Pixels.Decode(primed.Bytes);
        Assert.Equal((16, 16), (pixels.Width, pixels.Height));
    }
}
