namespace MlFunctions.Core.Storage;

/// <summary>Reads a stream in parts of a fixed size, for the stores that upload large objects in parts.</summary>
public static class ObjectContent
{
    /// <summary>Fills <paramref name="buffer"/> from <paramref name="content"/>; fewer bytes than its length means the content ended.</summary>
    public static async Task<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
