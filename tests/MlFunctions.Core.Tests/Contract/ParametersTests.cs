using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Tests.Contract;

public sealed class ParametersTests
{
    private static Parameters Of(params (string Key, string Value)[] pairs) =>
        new(FunctionRequest.Map(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value))));

    [Fact]
    public void A_misspelt_parameter_is_refused_with_the_names_allowed()
    {
        var problem = Assert.Throws<ProblemException>(() => Of(("widht", "10")).RejectUnknown("width", "height"));

        Assert.Equal("widht", problem.Parameter);
        Assert.Contains("width, height", problem.Message);
    }

    [Fact]
    public void The_Azure_function_key_is_not_an_unknown_parameter() =>
        Of(("code", "secret"), ("width", "1")).RejectUnknown("width");

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("99999")]
    [InlineData("1.5")]
    public void A_whole_number_out_of_range_or_malformed_names_the_parameter(string text)
    {
        var problem = Assert.Throws<ProblemException>(() => Of(("width", text)).Int("width", 1, 8192));

        Assert.Equal(400, problem.Type.Status);
        Assert.Equal("width", problem.Parameter);
    }

    [Fact]
    public void One_number_in_a_list_is_repeated_for_every_channel() =>
        Assert.Equal([0.5f, 0.5f, 0.5f], Of(("mean", "0.5")).FloatList("mean", 3)!);

    [Theory]
    [InlineData("1,2")]
    [InlineData("1,NaN,3")]
    [InlineData("1,Infinity,3")]
    public void A_list_of_the_wrong_length_or_with_a_non_finite_number_is_refused(string text) =>
        Assert.Throws<ProblemException>(() => Of(("mean", text)).FloatList("mean", 3));

    [Fact]
    public void Choices_are_case_insensitive_and_list_the_allowed_values_when_wrong()
    {
        Assert.Equal(2, Of(("fit", "COVER")).Choice("fit", 0, ("contain", 1), ("cover", 2)));
        var problem = Assert.Throws<ProblemException>(() => Of(("fit", "stretch")).Choice("fit", 0, ("contain", 1), ("cover", 2)));
        Assert.Contains("contain, cover", problem.Message);
    }

    [Fact]
    public void A_limit_set_to_nonsense_in_the_environment_fails_at_start_up()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            FunctionLimits.FromSettings(name => name == "MLF_MAX_BODY_BYTES" ? "lots" : null));

        Assert.Contains("MLF_MAX_BODY_BYTES", error.Message);
    }

    [Fact]
    public void A_raw_query_string_is_form_decoded_and_keeps_the_first_of_a_repeated_name()
    {
        var query = FunctionRequest.ParseQuery("?background=%23ff0000&Mean=1+2&mean=3&flag");

        Assert.Equal("#ff0000", query["background"]);
        Assert.Equal("1 2", query["mean"]);
        Assert.Equal("", query["flag"]);
    }
}
