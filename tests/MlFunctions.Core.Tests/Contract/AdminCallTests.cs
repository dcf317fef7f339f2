using System.Text;
using MlFunctions.Core.Catalog;
using MlFunctions.Core.Contract;

namespace MlFunctions.Core.Tests.Contract;

/// <summary>The registry's writes refuse a browser page of another site (a local host without a key trusts loopback, and a page can post there).</summary>
public sealed class AdminCallTests
{
    [Theory]
    [InlineData("cross-site", 403)]
    [InlineData("same-site", 403)]
    [InlineData("same-origin", 404)]
    [InlineData("none", 404)]
    [InlineData(null, 404)]
    public async Task A_page_of_another_site_may_not_change_the_registry(string? site, int status)
    {
        var catalog = FunctionCatalog.Create(FunctionLimits.Default, FunctionCall.NoModels, FunctionCall.NoBucket);
        var rollback = catalog.Find("rollback")!;

        var response = await new FunctionPipeline(catalog).InvokeAsync(rollback, new FunctionRequest
        {
            Method = "POST", Path = "/api/models/penguins/rollback", RouteValues = FunctionRequest.Map([KeyValuePair.Create("model", "penguins")]),
            Headers = FunctionRequest.Map(site is null ? [] : [KeyValuePair.Create("Sec-Fetch-Site", site)]), Body = Encoding.UTF8.GetBytes("{}"),
        }, CancellationToken.None);

        // 404: through the check, to a bucket with no such model.
        Assert.Equal(status, response.Status);
    }
}
