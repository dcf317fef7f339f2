using System.Text;
using System.Text.Json;
using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Tests.Functions;

public sealed class FeaturesFunctionTests
{
    private const string Spec = """{"columns":[{"name":"x","kind":"numeric","fitted":{"fill":0,"mean":1,"std":2}},{"name":"c","kind":"categorical","fitted":{"categories":["a"]}}]}""";

    private static Task<FunctionResponse> Call(string body, FunctionLimits? limits = null) =>
        FunctionCall.InvokeAsync("features", "", Encoding.UTF8.GetBytes(body), limits);

    [Fact]
    public async Task Records_become_named_vectors_in_order()
    {
        var response = await Call($$"""{"spec": {{Spec}}, "records": [{"x": 3, "c": "a"}, {"x": -1, "c": "b"}]}""");

        var body = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal(["x", "c=a", "c=<unknown>"], body.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal([[1f, 1, 0], [-1f, 0, 1]], body.GetProperty("vectors").EnumerateArray().Select(v => v.EnumerateArray().Select(f => f.GetSingle()).ToArray()));
    }

    [Theory]
    [InlineData("""{"records": []}""", "invalid-json", "spec")]
    [InlineData("""{"spec": {"columns": [{"name": "x", "kind": "boolean"}]}, "model": "m", "records": []}""", "invalid-json", "spec")]
    [InlineData("""{"spec": {"columns": [{"name": "x", "kind": "numbers"}]}, "records": []}""", "invalid-spec", null)]
    [InlineData("""{"spec": {"columns": [{"name": "x", "kind": "numeric", "buckets": "many"}]}, "records": []}""", "invalid-json", "$.spec.columns[0].buckets")]
    [InlineData("""{"spec": {"columns": []}, "records": {}}""", "invalid-spec", "spec.columns")]
    [InlineData("""{"spec": {"columns": [{"name": "x", "kind": "boolean"}]}, "records": {}}""", "invalid-json", "records")]
    [InlineData("""{"spec": {"columns": [{"name": "x", "kind": "boolean"}]}, "records": [1]}""", "invalid-record", "records")]
    [InlineData("""{"spec": {"columns": [{"name": "x", "kind": "boolean"}]}, "records": [{"x": 1}""", "invalid-json", null)]
    [InlineData("""{"spec": {"columns": [{"name": "x", "kind": "boolean"}]}, "records": [], "extra": 1}""", "invalid-json", "$.extra")]
    public async Task Malformed_requests_are_400s_that_say_where(string body, string type, string? parameter)
    {
        var problem = FunctionCall.Problem(await Call(body));

        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("urn:mlfunctions:problem:" + type, problem.GetProperty("type").GetString());
        if (parameter is not null)
        {
            Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        }
    }

    [Fact]
    public async Task Too_many_records_is_a_413()
    {
        var records = string.Join(',', Enumerable.Repeat("""{"x": 1, "c": "a"}""", 11));
        var problem = FunctionCall.Problem(await Call($$"""{"spec": {{Spec}}, "records": [{{records}}]}""", FunctionLimits.Default with { MaxRecords = 10 }));

        Assert.Equal(413, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Deeply_nested_json_is_a_400_not_a_stack_overflow()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var problem = FunctionCall.Problem(await Call($$"""{"spec": {{Spec}}, "records": {{deep}}}"""));

        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }
}
