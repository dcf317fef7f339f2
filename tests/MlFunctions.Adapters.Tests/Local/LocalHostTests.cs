using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

public sealed class LocalHostTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly byte[] Photo = File.ReadAllBytes(RepoPaths.ExifImage("Landscape_6"));

    [Fact]
    public async Task The_readme_curl_example_gives_a_224_square_jpeg()
    {
        // curl --data-binary sends application/x-www-form-urlencoded; the bytes are what count.
        using var content = new ByteArrayContent(Photo);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await host.Client.PostAsync("/api/resize?width=224&height=224&fit=cover", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var pixels = Pixels.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((224, 224), (pixels.Width, pixels.Height));
    }

    [Fact]
    public async Task The_root_lists_every_function_and_healthz_answers()
    {
        var catalog = JsonDocument.Parse(await host.Client.GetStringAsync("/")).RootElement;
        var expected = TestCatalog.Instance.Functions.Select(f => (f.Name, f.Route));
        Assert.Equal(expected, catalog.GetProperty("functions").EnumerateArray().Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("route").GetString()!)));
        Assert.Equal("ok\n", await host.Client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task Tensor_answers_with_its_shape_header()
    {
        using var response = await host.Client.PostAsync("/api/tensor?width=32&height=32&layout=nhwc", new ByteArrayContent(Photo));

        Assert.Equal("1,32,32,3", response.Headers.GetValues("X-Tensor-Shape").Single());
        Assert.Equal(32 * 32 * 3 * 4, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Features_and_format_answer_json_over_http()
    {
        using var features = await host.Client.PostAsync("/api/features", new StringContent(
            """{"spec": {"columns": [{"name": "b", "kind": "boolean"}]}, "records": [{"b": "yes"}, {"b": false}]}"""));
        Assert.Equal("{\"names\":[\"b\"],\"vectors\":[[1],[0]]}", await features.Content.ReadAsStringAsync());

        using var format = await host.Client.PostAsync("/api/format", new StringContent("""{"logits": [[0, 0]], "labels": ["x", "y"]}"""));
        var prediction = JsonDocument.Parse(await format.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0];
        Assert.Equal(0.5, prediction.GetProperty("probability").GetDouble());
    }

    [Fact]
    public async Task Bad_requests_each_get_their_problem_and_the_server_keeps_serving()
    {
        var cases = new (string Path, byte[] Body, int Status, string Type)[]
        {
            ("/api/resize?width=100", [], 400, "empty-body"),
            ("/api/resize?width=100", Photo[..50_000], 422, "image-truncated"),
            ("/api/resize?width=100", "<html>hello</html>"u8.ToArray(), 415, "unsupported-image"),
            ("/api/resize?width=100", SyntheticImages.PngHeaderOnly(100_000, 100_000), 413, "image-too-large"),
            ("/api/resize?width=100&fit=squash", Photo, 400, "invalid-parameter"),
            ("/api/tensor?layout=xyz", Photo, 400, "invalid-parameter"),
            ("/api/nothing", Photo, 404, "not-found"),
            ("/api/features", "{\"spec\": "u8.ToArray(), 400, "invalid-json"),
            ("/api/format", "{\"scores\": [[0.2, \"NaN\"]]}"u8.ToArray(), 400, "invalid-scores"),
        };
        foreach (var (path, body, status, type) in cases)
        {
            using var response = await host.Client.PostAsync(path, new ByteArrayContent(body));
            await AssertProblemAsync(response, status, type);
        }
        using var after = await host.Client.PostAsync("/api/resize?width=50", new ByteArrayContent(Photo));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem_with_or_without_a_content_length()
    {
        var big = new byte[LocalHostFixture.BodyLimit + 1];
        using var declared = await host.Client.PostAsync("/api/resize?width=100", new ByteArrayContent(big));
        await AssertProblemAsync(declared, 413, "body-too-large");

        using var chunked = new StreamContent(new MemoryStream(big));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/resize?width=100") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await host.Client.SendAsync(request);
        await AssertProblemAsync(streamed, 413, "body-too-large");
    }

    [Fact]
    public async Task A_get_on_a_post_function_is_a_405_problem()
    {
        using var response = await host.Client.GetAsync("/api/resize?width=10");
        await AssertProblemAsync(response, 405, "method-not-allowed");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string type)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:mlfunctions:problem:" + type, problem.GetProperty("type").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }
}
