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

    /// <summary>
    /// The content's first part, for a store that writes small content in one request and large content in
    /// parts of <paramref name="partBytes"/>: the buffer (sized to the content when it can seek, so a small
    /// object is not given a whole part), how much of it is filled, and whether that is all the content.
    /// </summary>
    public static async Task<(byte[] Part, int Filled, bool Whole)> ReadFirstPartAsync(Stream content, int partBytes, CancellationToken cancellationToken)
    {
        var part = new byte[content.CanSeek ? (int)Math.Clamp(content.Length - content.Position + 1, 1, partBytes) : partBytes];
        var filled = await FillAsync(content, part, cancellationToken).ConfigureAwait(false);
        if (filled < part.Length)
        {
            return (part, filled, true);
        }
        if (part.Length < partBytes)
        {
            // A stream longer than its length said: go on as for one that cannot seek.
            Array.Resize(ref part, partBytes);
            filled += await FillAsync(content, part.AsMemory(filled), cancellationToken).ConfigureAwait(false);
        }
        return (part, filled, false);
    }
}
