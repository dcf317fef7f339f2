using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MlFunctions.Aws.Events;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models;
using MlFunctions.Core.Storage;
using MlFunctions.Storage.Aws;
using MlFunctions.Storage.Azure;
using MlFunctions.Storage.Gcp;
using MlFunctions.Testing;
using MlFunctions.Training;
using SkiaSharp;

namespace MlFunctions.Fuzz;

/// <summary>The targets: the five HTTP functions through the pipeline, as every host runs them, and the four event parsers.</summary>
internal static class Targets
{
    public static async Task<FuzzTarget[]> CreateAsync(string bucketFolder)
    {
        var bucket = new LocalFolderStore(bucketFolder);
        await TrainPenguinsAsync(bucket);
        var catalog = FunctionCatalog.Create(FunctionLimits.Default, bucket, TimeSpan.FromMinutes(10));
        // The fault behind a 5xx, handed from the pipeline's callback to the case that caused it.
        var fault = new AsyncLocal<StrongBox<Exception?>>();
        var pipeline = new FunctionPipeline(catalog, (_, e) => fault.Value?.Value = e);
        var images = Images();
        return
        [
            Http(pipeline, fault, "resize", "width=64&height=48&fit=cover", images, json: false),
            Http(pipeline, fault, "tensor", "width=32&height=32&layout=nhwc&mean=0.5,0.5,0.5&std=0.2,0.2,0.2", images, json: false),
            Http(pipeline, fault, "features", "", [Utf8("""{"spec": {"columns": [{"name": "x", "kind": "numeric", "fitted": {"fill": 1, "mean": 2, "std": 3}}, {"name": "c", "kind": "categorical", "fitted": {"categories": ["a", "b"]}}, {"name": "t", "kind": "text", "buckets": 8, "charNgrams": [2, 3]}, {"name": "f", "kind": "boolean"}]}, "records": [{"x": 1.5, "c": "a", "t": "hello world", "f": true}, {"x": null, "c": "z", "t": "", "f": "no"}]}"""), Utf8("""{"model": "penguins", "records": [{"Island": "Dream", "Beak Length (mm)": 39, "Beak Depth (mm)": 18.7, "Flipper Length (mm)": 185, "Body Mass (g)": 3650, "Sex": "MALE"}]}""")], json: true),
            Http(pipeline, fault, "format", "", [Utf8("""{"logits": [[1, 2, 3], [0.5, -1, 2]], "labels": ["a", "b", "c"], "topK": 2, "threshold": 0.3, "output": "csv"}"""), Utf8("""{"scores": [[0.2], [0.9]], "labels": ["no", "yes"], "activation": "sigmoid"}""")], json: true),
            Http(pipeline, fault, "predict", "", [Utf8("""{"records": [{"Island": "Biscoe", "Beak Length (mm)": 46.1, "Beak Depth (mm)": 13.2, "Flipper Length (mm)": 211, "Body Mass (g)": 4500, "Sex": "FEMALE"}, {"Island": "Torgersen", "Beak Length (mm)": 39.1, "Sex": null}], "topK": 2}""")], json: true, model: "penguins"),
            Parser("api-gateway-event", [Utf8(ApiGatewayEvent)], payload => ApiGatewayTranslation.Parse(payload)),
            Parser("s3-event", [Utf8(S3Event)], payload => S3Events.Parse(payload)),
            Parser("custom-handler-payload", [Utf8(BlobTriggerPayload), Utf8(EventGridPayload)], payload =>
                BlobEvents.Parse(JsonSerializer.Deserialize(payload, PayloadJsonContext.Default.CustomHandlerRequest) ?? throw new JsonException("null"))),
            Parser("cloudevent", [Utf8(StructuredCloudEvent)], payload =>
                CloudEventReader.Finalized(CloudEventReader.Read("application/cloudevents+json", [], payload))),
        ];
    }

    /// <summary>The penguins model, trained into the fuzz run's bucket, so that predict has a champion.</summary>
    /// <summary>Trains and promotes a penguin species model; its version.</summary>
    public static async Task<string> TrainPenguinsAsync(IObjectStore bucket, string trainer = ModelSpec.Linear) =>
        (await ModelPublisher.TrainAsync(RepoPaths.Penguins, new ModelSpec { Task = ModelTask.Multiclass, Label = "Species", Trainer = trainer }, "penguins", bucket, promote: true, _ => { }, CancellationToken.None)).Result.Bundle.Version;

    private static FuzzTarget Http(FunctionPipeline pipeline, AsyncLocal<StrongBox<Exception?>> fault, string name, string query, byte[][] seeds, bool json, string? model = null)
    {
        var function = pipeline.Catalog.Find(name)!;
        return new FuzzTarget(name, seeds, json, async body =>
        {
            var box = new StrongBox<Exception?>();
            fault.Value = box;
            var request = new FunctionRequest
            {
                Method = function.Method, Path = function.Route, Query = FunctionRequest.ParseQuery(query), Body = body,
                RouteValues = model is null ? FunctionRequest.Map([]) : FunctionRequest.Map([KeyValuePair.Create("model", model)]),
            };
            var response = await pipeline.InvokeAsync(function, request, CancellationToken.None).ConfigureAwait(false);
            return response.Status >= 500 ? (Verdict.ServerError, box.Value?.ToString()) : (response.Status >= 400 ? Verdict.Refused : Verdict.Answered, null);
        });
    }

    /// <summary>A parser refuses bad input with JsonException or FormatException (or NotSupportedException); anything else is a crash.</summary>
    private static FuzzTarget Parser(string name, byte[][] seeds, Func<byte[], object?> parse) => new(name, seeds, true, payload =>
    {
        try
        {
            parse(payload);
            return Task.FromResult<(Verdict, string?)>((Verdict.Answered, null));
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
        {
            return Task.FromResult<(Verdict, string?)>((Verdict.Refused, null));
        }
    });

    /// <summary>Real photos (with their EXIF orientation) made small, in every input format, and a header claiming a huge image.</summary>
    public static byte[][] Images()
    {
        var seeds = new List<byte[]>();
        foreach (var (photo, format) in new[] { ("Landscape_6", SKEncodedImageFormat.Jpeg), ("Portrait_5", SKEncodedImageFormat.Png), ("Landscape_3", SKEncodedImageFormat.Webp) })
        {
            using var original = SKBitmap.Decode(RepoPaths.ExifImage(photo));
            using var small = original.Resize(new SKImageInfo(96, 64), new SKSamplingOptions(SKFilterMode.Linear));
            using var image = SKImage.FromBitmap(small);
            seeds.Add(image.Encode(format, 80).ToArray());
        }
        seeds.Add(SkiaFreeEncodings.SolidGif(40, 30, SKColors.Teal));
        seeds.Add(SkiaFreeEncodings.SolidBmp(40, 30, SKColors.Olive));
        seeds.Add(SyntheticImages.PngHeaderOnly(60_000, 60_000));
        seeds.Add(SyntheticImages.Solid(1, 1, SKColors.Red, SKEncodedImageFormat.Png));
        return [.. seeds];
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private const string ApiGatewayEvent = """{"version": "2.0", "routeKey": "POST /api/resize", "rawPath": "/api/resize", "rawQueryString": "width=10&height=10", "cookies": ["a=b"], "headers": {"content-type": "image/png", "x-forwarded-for": "1.2.3.4"}, "pathParameters": {"model": "penguins"}, "requestContext": {"http": {"method": "POST", "path": "/api/resize"}, "requestId": "r-1"}, "body": "iVBORw0KGgo=", "isBase64Encoded": true}""";

    private const string S3Event = """{"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventName": "ObjectCreated:Put", "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "b", "arn": "arn:aws:s3:::b"}, "object": {"key": "incoming/images/my+photo%21.jpg", "size": 1024, "eTag": "d41d8cd98f00b204e9800998ecf8427e", "sequencer": "0A1B2C3D4E5F678901"}}}, {"eventSource": "aws:s3", "eventName": "ObjectCreated:Copy", "s3": {"bucket": {"name": "b"}, "object": {"key": "training/penguins/a.csv", "size": 5}}}]}""";

    private const string BlobTriggerPayload = """{"Data": {"blob": "aGVsbG8="}, "Metadata": {"BlobTrigger": "mlf/incoming/images/cat.jpg", "Uri": "https://a.blob.core.windows.net/mlf/incoming/images/cat.jpg", "Properties": {"ETag": "\"0x8DC\"", "Length": 5, "ContentType": "image/jpeg"}, "name": "incoming/images/cat.jpg", "sys": {"MethodName": "on-upload"}}}""";

    private const string EventGridPayload = """{"Data": {"event": {"id": "e-1", "topic": "/subscriptions/s", "subject": "/blobServices/default/containers/mlf/blobs/training/penguins/nov.csv", "eventType": "Microsoft.Storage.BlobCreated", "data": {"api": "PutBlob", "eTag": "0x8DC", "contentType": "text/csv", "contentLength": 100}}}, "Metadata": {}}""";

    private const string StructuredCloudEvent = """{"specversion": "1.0", "id": "e-2", "source": "//storage.googleapis.com/projects/_/buckets/b", "type": "google.cloud.storage.object.v1.finalized", "subject": "objects/training/penguins/dec.csv", "time": "2026-11-22T10:00:00Z", "datacontenttype": "application/json", "data": {"bucket": "b", "name": "training/penguins/dec.csv", "generation": "17", "size": "100", "contentType": "text/csv"}}""";
}
