using MlFunctions.Benchmarks;

// Benchmarks print numbers and ratios against a peer measured in the same run; they never assert.
var name = args.FirstOrDefault() ?? "resize";
return name switch
{
    "resize" => await ResizeBenchmark.RunAsync(args[1..]),
    "features" => await FeaturesBenchmark.RunAsync(args[1..]),
    "model" => await ModelBenchmark.RunAsync(args[1..]),
    "coldstart" => await ColdStartBenchmark.RunAsync(args[1..]),
    "load" => await LoadRun.RunAsync(args[1..]),
    "batch" => await BatchBenchmark.RunAsync(args[1..]),
    "onnx" => await OnnxBenchmark.RunAsync(args[1..]),
    "images" => await ImageTrainingBenchmark.RunAsync(args[1..]),
    "capture" => await CaptureBenchmark.RunAsync(args[1..]),
    _ => Fail($"Unknown benchmark '{name}'. Benchmarks: resize, features, model, coldstart, load, batch, onnx, images, capture."),
};

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
