using System.Text;
using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Storage;
using MlFunctions.Storage.Azure;
using MlFunctions.Storage.Gcp;

namespace MlFunctions.Adapters.Tests.Architecture;

/// <summary>
/// What the fuzz program (tests/MlFunctions.Fuzz) found, kept as tests: strings that are not valid
/// UTF-8 and values of the wrong JSON type gave 5xx answers and parser crashes instead of refusals.
/// (predict's case, which needs a model, is in PredictFunctionTests.)
/// </summary>
public sealed class FuzzRegressionTests
{
    // "records": [{"Island": "<0xFF 0xFE>"}]: valid JSON structure, invalid UTF-8 inside a string.
    private static readonly byte[] InvalidUtf8Record = Spliced("{\"records\": [{\"Island\": \"", [0xFF, 0xFE], "\"}]}");

    /// <summary>JSON text with raw bytes spliced into it.</summary>
    private static byte[] Spliced(string before, byte[] raw, string after) => [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];

    [Theory]
    [InlineData("features")]
    [InlineData("format")]
    public async Task A_json_body_that_is_not_utf8_is_a_400(string name)
    {
        var catalog = TestCatalog.Instance;
        var function = catalog.Find(name)!;
        var pipeline = new FunctionPipeline(catalog, (_, e) => throw new Xunit.Sdk.XunitException($"a fault: {e}"));

        var response = await pipeline.InvokeAsync(function, new FunctionRequest
        {
            Method = "POST", Path = function.Route, Body = InvalidUtf8Record,
            RouteValues = FunctionRequest.Map([KeyValuePair.Create("model", "penguins")]),
        }, CancellationToken.None);

        Assert.Equal(400, response.Status);
        Assert.Contains("not valid UTF-8", Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Data": {}, "Metadata": {"BlobTrigger": ["not", "a", "string"]}}""")]
    [InlineData("""{"Data": {"event": {"eventType": 7, "subject": {}}}, "Metadata": {}}""")]
    [InlineData("""{"Data": {}, "Metadata": {"BlobTrigger": "c/k", "Properties": "just text"}}""")]
    public void Custom_handler_payloads_with_values_of_the_wrong_type_are_refused_not_crashes(string payload)
    {
        var request = JsonSerializer.Deserialize(payload, PayloadJsonContext.Default.CustomHandlerRequest)!;

        var parsed = Record.Exception(() => BlobEvents.Parse(request));

        Assert.True(parsed is null or FormatException, parsed?.ToString());
    }

    [Fact]
    public void A_custom_handler_payload_with_invalid_utf8_is_refused()
    {
        var payload = Spliced("{\"Data\": {}, \"Metadata\": {\"BlobTrigger\": \"c/", [0xF0, 0x28], "\"}}");
        var request = JsonSerializer.Deserialize(payload, PayloadJsonContext.Default.CustomHandlerRequest)!;

        Assert.Throws<FormatException>(() => BlobEvents.Parse(request));
    }

    [Fact]
    public void A_cloud_event_whose_data_is_not_utf8_is_refused()
    {
        var body = Spliced("{\"specversion\": \"1.0\", \"id\": \"1\", \"source\": \"//s\", \"type\": \"google.cloud.storage.object.v1.finalized\", \"datacontenttype\": \"application/json\", \"data\": {\"bucket\": \"b\", \"name\": \"", [0xE2, 0x28], "\"}}");

        Assert.Throws<FormatException>(() => CloudEventReader.Finalized(CloudEventReader.Read("application/cloudevents+json", [], body)));
    }

    [Fact]
    public void Object_keys_from_events_are_never_used_unchecked()
    {
        Assert.NotNull(ObjectKeys.Problem("../../etc/passwd"));
    }
}
