using System.Text;
using MlFunctions.Composition;
using MlFunctions.Core.Contract;

namespace MlFunctions.Local.Cli;

/// <summary>
/// Runs a JSON function (format, features, ...) on a request body from a file or standard input ('-')
/// through the same pipeline as the host, and prints the response body.
/// </summary>
internal static class InvokeCommand
{
    public static async Task<int> RunAsync(string function, string path, TextReader input, TextWriter console, TextWriter log)
    {
        if (path != "-" && !File.Exists(path))
        {
            await log.WriteLineAsync($"{function}: there is no file '{path}' (give a JSON request file, or - for standard input).").ConfigureAwait(false);
            return LocalCommands.UsageError;
        }
        var body = path == "-" ? await input.ReadToEndAsync().ConfigureAwait(false) : await File.ReadAllTextAsync(path).ConfigureAwait(false);
        var catalog = FunctionServices.Create(Environment.GetEnvironmentVariable, FunctionLimits.Azure, LocalHost.BucketStore([])).Catalog;
        var descriptor = catalog.Find(function) ?? throw new ArgumentException($"No function '{function}'.");
        var request = new FunctionRequest { Method = descriptor.Method, Path = descriptor.Route, Body = Encoding.UTF8.GetBytes(body) };
        var response = await new FunctionPipeline(catalog).InvokeAsync(descriptor, request, CancellationToken.None).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(response.Body.Span);
        if (response.Status >= 400)
        {
            await log.WriteLineAsync($"{function}: {response.Status} {text}").ConfigureAwait(false);
            return 1;
        }
        await console.WriteAsync(text).ConfigureAwait(false);
        return 0;
    }
}
