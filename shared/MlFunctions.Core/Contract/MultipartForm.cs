using System.Text;

namespace MlFunctions.Core.Contract;

/// <summary>One part of a multipart/form-data body: its field name, file name and content type, and its bytes (a slice of the body).</summary>
public sealed record FormPart(string? Name, string? FileName, string? ContentType, ReadOnlyMemory<byte> Content);

/// <summary>
/// multipart/form-data (RFC 7578), as curl -F sends it: the parts of a body the host has already read
/// and bounded, as slices of it, with no copies. Written here because Core takes no ASP.NET package
/// (its MultipartReader is in Microsoft.AspNetCore.WebUtilities) and the Lambda adapter has no ASP.NET
/// at all; the body being in memory, the format needs no more than finding its boundaries.
/// </summary>
public static class MultipartForm
{
    /// <summary>Whether the request declares a multipart/form-data body.</summary>
    public static bool Is(FunctionRequest request) =>
        request.Header("Content-Type")?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// The image a function takes: the body, or, for a form (curl -F image=@photo.jpg), the part named
    /// "image", else the first file part, else the only part. A form with none of these says what it holds.
    /// </summary>
    public static ReadOnlyMemory<byte> SingleImage(FunctionRequest request)
    {
        if (!Is(request))
        {
            return request.Body;
        }
        var parts = Read(request, 64);
        var image = parts.FirstOrDefault(p => p.Name == "image") ?? parts.FirstOrDefault(p => p.FileName is not null) ?? (parts.Count == 1 ? parts[0] : null);
        return image?.Content ?? throw Invalid(parts.Count == 0
            ? "the form has no part: send the image as one (curl -F image=@photo.jpg)."
            : $"the form has no field named 'image' and no file among its fields ({string.Join(", ", parts.Select(p => p.Name ?? "unnamed"))}).");
    }

    /// <summary>The parts, at most <paramref name="maxParts"/>; a body that is not well-formed is an invalid-multipart problem.</summary>
    public static IReadOnlyList<FormPart> Read(FunctionRequest request, int maxParts)
    {
        var boundary = Boundary(request.Header("Content-Type") ?? "");
        var body = request.Body;
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var start = body.Span.IndexOf(delimiter);
        if (start < 0)
        {
            throw Invalid("the body has no part: its boundary never appears.");
        }
        var parts = new List<FormPart>();
        var position = start + delimiter.Length;
        var next = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        while (true)
        {
            var rest = body.Span[position..];
            if (rest.StartsWith("--"u8))
            {
                return parts; // the closing delimiter; what follows it is an epilogue
            }
            if (!rest.StartsWith("\r\n"u8))
            {
                throw Invalid($"part {parts.Count}: the boundary is not followed by a line break.");
            }
            position += 2;
            var end = body.Span[position..].IndexOf(next);
            if (end < 0)
            {
                throw Invalid($"part {parts.Count} never ends: the body stops before its closing boundary.");
            }
            if (parts.Count == maxParts)
            {
                throw ProblemType.OverBudget.With($"The form has more than {maxParts} parts, the most one request may send.", "body");
            }
            parts.Add(Part(body.Slice(position, end), parts.Count));
            position += end + next.Length;
        }
    }

    private static FormPart Part(ReadOnlyMemory<byte> part, int index)
    {
        var split = part.Span.IndexOf("\r\n\r\n"u8);
        if (split < 0)
        {
            throw Invalid($"part {index} has no blank line between its headers and its content.");
        }
        string? name = null, fileName = null, contentType = null;
        foreach (var line in Encoding.UTF8.GetString(part.Span[..split]).Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Invalid($"part {index} has a header line that is not 'Name: value'.");
            }
            var value = line[(colon + 1)..].Trim();
            switch (line[..colon].Trim().ToLowerInvariant())
            {
                case "content-disposition":
                    name = Attribute(value, "name");
                    fileName = Attribute(value, "filename");
                    break;
                case "content-type":
                    contentType = value;
                    break;
            }
        }
        return new FormPart(name, fileName, contentType, part[(split + 4)..]);
    }

    private static string Boundary(string contentType)
    {
        var boundary = Attribute(contentType, "boundary");
        return boundary is { Length: >= 1 and <= 70 }
            ? boundary
            : throw Invalid("the Content-Type names no boundary of 1 to 70 characters (multipart/form-data; boundary=...).");
    }

    /// <summary>A parameter of a header value, such as name="image" or boundary=xyz, quoted or not.</summary>
    private static string? Attribute(string value, string name)
    {
        foreach (var piece in value.Split(';'))
        {
            var equals = piece.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && piece[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return piece[(equals + 1)..].Trim().Trim('"');
            }
        }
        return null;
    }

    private static ProblemException Invalid(string why) => ProblemType.InvalidMultipart.With($"The multipart/form-data body cannot be read: {why}", "body");
}
