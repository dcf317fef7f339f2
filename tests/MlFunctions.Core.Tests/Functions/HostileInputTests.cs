using System.Text;
using System.Text.Json;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Models.Store;
using MlFunctions.Core.Storage;
using MlFunctions.Core.Tests.Models;
using MlFunctions.Testing;
using SkiaSharp;

namespace MlFunctions.Core.Tests.Functions;

/// <summary>Valid JSON (or a valid image) with hostile meaning: each case from the hostile-input issue is a 4xx naming its field.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlf-hostile-").FullName;
    private readonly ModelCache _models;
    private readonly LocalFolderStore _bucket;

    public HostileInputTests()
    {
        _bucket = new LocalFolderStore(_root);
        _models = new ModelCache(new ObjectModelStore(_bucket), TimeSpan.Zero);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Spec(string column) => $$"""{"columns": [{{column}}]}""";

    private static async Task<JsonElement> Refused(Task<FunctionResponse> call, int status, string parameter)
    {
        var response = await call;
        var problem = FunctionCall.Problem(response);
        Assert.Equal(status, response.Status);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        return problem;
    }

    [Theory]
    [InlineData("penguins\n")]
    [InlineData("penguins\r\n")]
    [InlineData("\u0130stanbul")]
    [InlineData("a/b")]
    [InlineData("..")]
    public async Task A_model_name_with_a_trailing_newline_or_other_stray_character_is_a_400(string name)
    {
        await Refused(FunctionCall.InvokeAsync("predict", "", Encoding.UTF8.GetBytes("""{"records": []}"""), models: _models, model: name), 400, "model");
        await Refused(FunctionCall.InvokeAsync("predict", "version=" + Uri.EscapeDataString(name + "x"), Encoding.UTF8.GetBytes("""{"records": []}"""), models: _models, model: "ok"), 400, "version");
    }

    [Theory]
    [InlineData("""["a", "a"]""", "spec.columns[0] ('c').fitted.categories[1]")]
    [InlineData("""["a", null]""", "spec.columns[0] ('c').fitted.categories[1]")]
    public async Task Repeated_or_null_fitted_categories_are_a_400_naming_the_category(string categories, string parameter)
    {
        var column = $$$"""{"name": "c", "kind": "categorical", "fitted": {"categories": {{{categories}}}}}""";
        var body = $$"""{"spec": {{Spec(column)}}, "records": [{"c": "a"}]}""";
        await Refused(FunctionCall.InvokeAsync("features", "", Encoding.UTF8.GetBytes(body)), 400, parameter);
    }

    [Fact]
    public async Task A_text_column_of_a_million_buckets_for_ten_thousand_records_is_refused_before_any_work()
    {
        var records = string.Join(",", Enumerable.Repeat("""{"t": "x"}""", 10_000));
        var body = $$"""{"spec": {{Spec("""{"name": "t", "kind": "text", "buckets": 1048576}""")}}, "records": [{{records}}]}""";
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var problem = await Refused(FunctionCall.InvokeAsync("features", "", Encoding.UTF8.GetBytes(body)), 413, "records");

        Assert.Contains("MLF_MAX_FEATURE_VALUES", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 * 1024 * 1024, "the refusal allocated the vectors it refused");
    }

    [Fact]
    public async Task A_spec_of_many_huge_text_columns_is_a_400_however_few_the_records()
    {
        var columns = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{"name": "t{{i}}", "kind": "text", "buckets": 1048576}"""));
        var body = $$"""{"spec": {{Spec(columns)}}, "records": [{}]}""";

        await Refused(FunctionCall.InvokeAsync("features", "", Encoding.UTF8.GetBytes(body)), 400, "spec.columns");
    }

    [Fact]
    public async Task A_1x1_png_asking_for_an_8192_square_tensor_is_refused_before_decoding()
    {
        var png = SyntheticImages.Solid(1, 1, SKColors.Red, SKEncodedImageFormat.Png);

        var problem = await Refused(FunctionCall.InvokeAsync("tensor", "width=8192&height=8192", png), 413, "width");

        Assert.Contains("MLF_MAX_TENSOR_ELEMENTS", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("width=8192&height=8192&format=png")]
    [InlineData("width=8192&fit=contain&format=png")]
    public async Task Resizing_to_more_pixels_than_the_budget_is_a_413_before_the_work(string query)
    {
        var png = SyntheticImages.Solid(1, 1, SKColors.Red, SKEncodedImageFormat.Png);

        var problem = await Refused(FunctionCall.InvokeAsync("resize", query, png), 413, "width");

        Assert.Contains("MLF_MAX_OUTPUT_PIXELS", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_tensor_larger_than_the_response_budget_is_refused_before_the_work()
    {
        var png = SyntheticImages.Solid(4, 4, SKColors.Red, SKEncodedImageFormat.Png);
        var limits = FunctionLimits.Lambda;

        var problem = await Refused(FunctionCall.InvokeAsync("tensor", "width=1024&height=1024&output=json", png, limits), 413, "width");

        Assert.Contains("MLF_MAX_RESPONSE_BYTES", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("std=0,1,1", "std")]
    [InlineData("std=1e-45", "std")]
    [InlineData("mean=NaN", "mean")]
    [InlineData("scale=Infinity", "scale")]
    [InlineData("width=-5", "width")]
    public async Task Tensor_parameters_that_are_not_finite_or_divide_by_zero_are_400s(string query, string parameter)
    {
        var png = SyntheticImages.Solid(4, 4, SKColors.Red, SKEncodedImageFormat.Png);
        await Refused(FunctionCall.InvokeAsync("tensor", query, png), 400, parameter);
    }

    [Theory]
    [InlineData("""{"scores": [[0.2, 0.8]], "labels": ["a", "a"]}""", "labels[1]")]
    [InlineData("""{"scores": [[0.2, 0.8]], "labels": ["a", null]}""", "labels[1]")]
    [InlineData("""{"scores": [[0.2, 0.8]], "labels": ["a", ""]}""", "labels[1]")]
    [InlineData("""{"scores": [[0.2, 0.8]], "topK": 0}""", "topK")]
    [InlineData("""{"scores": [[0.2, 0.8]], "topK": -3}""", "topK")]
    [InlineData("""{"scores": [[0.2, 0.8]], "threshold": 2}""", "threshold")]
    public async Task Format_options_are_checked(string body, string parameter)
    {
        await Refused(FunctionCall.InvokeAsync("format", "", Encoding.UTF8.GetBytes(body)), 400, parameter);
    }

    [Fact]
    public async Task Format_refuses_more_scores_than_its_budget()
    {
        var row = "[" + string.Join(",", Enumerable.Repeat("0.5", 1000)) + "]";
        var body = $$"""{"scores": [{{string.Join(",", Enumerable.Repeat(row, 2000))}}]}""";

        await Refused(FunctionCall.InvokeAsync("format", "", Encoding.UTF8.GetBytes(body), FunctionLimits.Azure), 413, "scores");
    }

    [Fact]
    public async Task A_valid_5_MB_image_is_accepted_by_the_local_host_and_Cloud_Run_limits_but_not_Lambdas()
    {
        var body = new byte[5 * 1024 * 1024];
        SyntheticImages.Solid(8, 8, SKColors.Red, SKEncodedImageFormat.Png).CopyTo(body, 0);

        Assert.Equal(413, (await FunctionCall.InvokeAsync("resize", "width=4", body, FunctionLimits.Lambda)).Status);
        var problem = FunctionCall.Problem(await FunctionCall.InvokeAsync("resize", "width=4", body, FunctionLimits.Lambda));
        Assert.Contains("MLF_MAX_BODY_BYTES", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(413, (await FunctionCall.InvokeAsync("resize", "width=4", body, FunctionLimits.Azure)).Status);
        Assert.NotEqual(413, (await FunctionCall.InvokeAsync("resize", "width=4", body, FunctionLimits.CloudRun)).Status);
    }

    [Theory]
    [InlineData("{not json", "champion.json")]
    [InlineData("""{"version": "../etc", "metric": "m", "value": 1, "promotedAt": "2026-01-01T00:00:00Z"}""", "no valid version")]
    [InlineData("""{"version": "v9", "metric": "m", "value": 1, "promotedAt": "2026-01-01T00:00:00Z"}""", "has no bundle")]
    public async Task A_broken_champion_pointer_is_a_409_naming_the_model_never_a_5xx(string champion, string says)
    {
        await _bucket.WriteAsync(BucketLayout.Champion("pets"), Encoding.UTF8.GetBytes(champion), "application/json", WriteCondition.Always, CancellationToken.None);

        var problem = await Refused(FunctionCall.InvokeAsync("predict", "", Encoding.UTF8.GetBytes("""{"records": [{"x": 1}]}"""), models: _models, model: "pets"), 409, "model");

        Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"format\": 2}")]
    [InlineData("[]")]
    [InlineData("garbage")]
    public async Task A_broken_bundle_is_a_409_naming_the_model(string bundle)
    {
        var store = new ObjectModelStore(_bucket);
        await store.WriteVersionAsync(TestBundles.Multiclass("pets", "v1"), [], CancellationToken.None);
        await _bucket.WriteAsync(BucketLayout.Version("pets", "v1", "bundle.json"), Encoding.UTF8.GetBytes(bundle), "application/json", WriteCondition.Always, CancellationToken.None);

        await Refused(FunctionCall.InvokeAsync("predict", "version=v1", Encoding.UTF8.GetBytes("""{"records": [{"x": 1}]}"""), models: _models, model: "pets"), 409, "model");
    }

    [Fact]
    public async Task Jobs_refuses_a_model_name_with_a_newline_and_skips_a_damaged_status()
    {
        var catalog = Catalog.FunctionCatalog.Create(FunctionLimits.Default, _models, _bucket);
        var jobs = catalog.Find("jobs")!;
        await _bucket.WriteAsync(BucketLayout.JobStatus("pets", "broken"), Encoding.UTF8.GetBytes("{ not json"), "application/json", WriteCondition.Always, CancellationToken.None);
        FunctionRequest Get(string model) => new() { Method = "GET", Path = "/api/jobs/" + model, RouteValues = FunctionRequest.Map([KeyValuePair.Create("model", model)]) };

        var newline = await new FunctionPipeline(catalog).InvokeAsync(jobs, Get("pets\n"), CancellationToken.None);
        var listed = await new FunctionPipeline(catalog).InvokeAsync(jobs, Get("pets"), CancellationToken.None);

        Assert.Equal(400, newline.Status);
        Assert.Equal(200, listed.Status);
        Assert.Equal("[]", Encoding.UTF8.GetString(listed.Body.Span));
    }

    [Fact]
    public void A_job_manifest_and_its_status_never_share_the_suffix_the_retrain_trigger_filters_on()
    {
        var manifest = BucketLayout.Job("pets", "j1");
        var status = BucketLayout.JobStatus("pets", "j1");
        var suffix = Catalog.FunctionCatalog.Create(FunctionLimits.Default, _models, _bucket).Triggers.Single(t => t.Name == "retrain").Suffix!;

        Assert.EndsWith(suffix, manifest, StringComparison.Ordinal);
        Assert.False(status.EndsWith(suffix, StringComparison.Ordinal));
        Assert.Null(BucketLayout.ParseJob(status));
        Assert.Equal(("pets", "j1"), BucketLayout.ParseJob(manifest));
    }

    [Theory]
    [InlineData("predict", """{"records": [], "topK": "three"}""", "is not of the type this field takes. Path: $.topK")]
    [InlineData("predict", """{"records": [], "colour": 1}""", "'colour' is not a field here")]
    [InlineData("format", """{"scores": [[0.5]], "threshold": [1]}""", "is not of the type this field takes. Path: $.threshold")]
    [InlineData("predict", """[]""", "is not of the type this field takes. Path: $")]
    public async Task Json_errors_say_what_was_expected_without_naming_dotnet_types(string function, string body, string says)
    {
        var store = new ObjectModelStore(_bucket);
        await store.WriteVersionAsync(TestBundles.Multiclass("pets", "v1"), [], CancellationToken.None);
        await store.TryPromoteAsync("pets", new ChampionPointer("v1", "macroAccuracy", 0.5, DateTimeOffset.UnixEpoch), WriteCondition.Always, CancellationToken.None);
        var response = await FunctionCall.InvokeAsync(function, "", Encoding.UTF8.GetBytes(body), models: _models, model: "pets");

        var detail = FunctionCall.Problem(response).GetProperty("detail").GetString()!;
        Assert.Equal(400, response.Status);
        Assert.True(detail.Contains(says, StringComparison.Ordinal), detail);
        Assert.DoesNotContain("MlFunctions.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
    }
}
