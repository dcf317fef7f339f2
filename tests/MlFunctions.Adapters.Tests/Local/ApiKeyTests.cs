using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MlFunctions.Local;
using MlFunctions.Testing;

namespace MlFunctions.Adapters.Tests.Local;

/// <summary>Safe defaults of the local host: loopback unless asked, and an API key for anything else.</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    // IAsyncLifetime, not IAsyncDisposable: xunit 2 does not call a test class's DisposeAsync, and the servers it started were left running.
    public Task InitializeAsync() => Task.CompletedTask;

    private const string Key = "a-key-of-at-least-16-characters";
    private readonly string _bucket = Directory.CreateTempSubdirectory("mlf-key-").FullName;
    private WebApplication? _app;

    [Fact]
    public void Another_address_than_loopback_refuses_to_start_without_an_api_key()
    {
        var refused = Assert.Throws<ArgumentException>(() => LocalHost.Build(["--port", "0", "--host", "0.0.0.0", "--bucket", _bucket]));
        Assert.Contains("needs an API key", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_says_why_it_will_not_serve_an_open_network()
    {
        var result = await ProcessRunner.RunAsync("dotnet", [typeof(LocalHost).Assembly.Location, "serve", "--host", "0.0.0.0", "--port", "0", "--bucket", _bucket], TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs an API key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_key_every_request_but_healthz_must_carry_it()
    {
        _app = LocalHost.Build(["--port", "0", "--bucket", _bucket, "--api-key", Key]);
        await _app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

        using var none = await client.PostAsync("/api/format", new StringContent("""{"logits": [[1, 2]]}"""));
        using var wrong = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "X-Api-Key", "not-the-key-at-all-0000" } } });
        using var header = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "X-Api-Key", Key } } });
        using var bearer = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/format")
        {
            Headers = { { "Authorization", "Bearer " + Key } }, Content = new StringContent("""{"logits": [[1, 2]]}"""),
        });
        using var health = await client.GetAsync("/healthz");
        // The registry's writes are the admin's: without the key, refused before the function runs.
        using var alias = await client.PostAsync("/api/models/penguins/aliases/staging", new StringContent("""{"version": "v1"}"""));
        using var keyed = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/models/penguins/aliases/staging")
        {
            Headers = { { "X-Api-Key", Key } }, Content = new StringContent("""{"version": "v1"}"""),
        });

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, alias.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, keyed.StatusCode); // through the gate: there is no such version
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        Directory.Delete(_bucket, recursive: true);
    }
}
