namespace MlFunctions.Local;

/// <summary>The command-line help.</summary>
internal static class Usage
{
    private const string Text = """
        MlFunctions local host and CLI

          dotnet run --project functions/MlFunctions.Local [-- serve] [--port 7071]
              Serve every function on http://127.0.0.1:<port>/api/<name>; GET / lists them.

          dotnet run --project functions/MlFunctions.Local -- resize <files or folders> --out DIR
                  [--width W] [--height H] [--fit contain|cover|fill|pad] [--format jpeg|png|webp]
                  [--quality 1-100] [--background #rrggbb]
              Resize images into DIR, with progress and a summary.

          ... -- features propose data.csv [--exclude col1,col2]
              Print a proposed feature spec for the CSV.
          ... -- features fit data.csv [--spec spec.json] --out fitted.json
              Fit a spec (the proposed one when none is given) and print its statistics.
          ... -- features data.csv --spec spec.json [--out vectors.csv]
              Write feature vectors as CSV with a header of feature names.

          ... -- format request.json      (or - for standard input)
              Format scores or logits, as POST /api/format does.

        Limits come from MLF_MAX_BODY_BYTES, MLF_MAX_IMAGE_PIXELS and MLF_MAX_OUTPUT_DIMENSION.
        """;

    public static int Print(TextWriter output)
    {
        output.WriteLine(Text);
        return 0;
    }

    public static int Unknown(string command, TextWriter error)
    {
        error.WriteLine($"Unknown command '{command}'.");
        error.WriteLine(Text);
        return 2;
    }
}
