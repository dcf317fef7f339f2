using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;

// MlFunctions.AotProbe <function>[/<model>] <query> <input file> <output file>
// Runs one catalog function through the pipeline, writes the response body to the output file and
// prints "status content-type" on stdout. Tests compare its output with the same call under JIT.
// predict reads models from the bucket folder in MLF_BUCKET (models/<model>/...).
// MlFunctions.AotProbe load-bundle <bundle.json>: prints the seconds to read and compile a bundle, for the model benchmark.
if (args is ["load-bundle", var bundlePath])
{
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var raw = File.ReadAllBytes(bundlePath);
    var t1 = clock.Elapsed.TotalMilliseconds;
    var parsedBundle = MlFunctions.Core.Models.Bundle.ModelBundleJson.Read(raw);
    var t2 = clock.Elapsed.TotalMilliseconds;
    var scorer = new MlFunctions.Core.Models.BundleScorer(parsedBundle);
    Console.Error.WriteLine($"read {t1} parse {t2 - t1} compile {clock.Elapsed.TotalMilliseconds - t2}");
    Console.WriteLine(FormattableString.Invariant($"{clock.Elapsed.TotalSeconds:R} {scorer.Outputs}"));
    return 0;
}
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: MlFunctions.AotProbe <function> <query> <input file> <output file>");
    return 2;
}
var bucket = new LocalFolderStore(Environment.GetEnvironmentVariable("MLF_BUCKET") ?? "bucket");
var catalog = FunctionCatalog.Create(FunctionLimits.FromSettings(Environment.GetEnvironmentVariable), bucket, TimeSpan.FromSeconds(1));
var name = args[0].Split('/', 2);
var function = catalog.Find(name[0]);
if (function is null)
{
    Console.Error.WriteLine($"No function '{args[0]}'.");
    return 2;
}
var request = new FunctionRequest
{
    Method = function.Method,
    Path = function.Route,
    Query = FunctionRequest.ParseQuery(args[1]),
    RouteValues = FunctionRequest.Map(name.Length > 1 ? [KeyValuePair.Create("model", name[1])] : []),
    Body = await File.ReadAllBytesAsync(args[2]),
};
var pipeline = new FunctionPipeline(catalog, (name, fault) => Console.Error.WriteLine($"{name} failed: {fault}"));
var response = await pipeline.InvokeAsync(function, request, CancellationToken.None);
await File.WriteAllBytesAsync(args[3], response.Body.ToArray());
Console.WriteLine($"{response.Status} {response.ContentType}");
return 0;
