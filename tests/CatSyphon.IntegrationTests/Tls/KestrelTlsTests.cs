using System.Net;
using CatSyphon.IntegrationTests.Browser;

namespace CatSyphon.IntegrationTests.Tls;

/// <summary>
/// The API and the web serving HTTPS themselves, without a proxy, from certificate files given by configuration
/// (Kestrel's <c>Kestrel__Certificates__Default__*</c>): the API from PEM files, the web from a PFX. Each runs as a
/// deployment runs it, in Production, against the stack's PostgreSQL and Redis.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class KestrelTlsTests(ProxiedStack stack)
{
    private const string PublicUrl = "https://catsyphon.test";

    [Fact]
    public async Task The_API_serves_https_from_PEM_files_with_HSTS_and_a_collector_registers_with_the_CA()
    {
        var port = ServerProcess.FreePort();
        await using var api = ServiceProcess.Start(new Projects.CatSyphon_ApiService().ProjectPath, new Dictionary<string, string>(await BackendSettingsAsync())
        {
            ["ASPNETCORE_URLS"] = $"https://127.0.0.1:{port}",
            ["Kestrel__Certificates__Default__Path"] = stack.Certificates.ServerCertificateFile,
            ["Kestrel__Certificates__Default__KeyPath"] = stack.Certificates.ServerKeyFile,
            ["Admin__Token"] = stack.App.AdminToken,
        });
        using var client = new HttpClient(stack.Certificates.TrustingHandler()) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };

        using var ready = await api.WaitUntilAnsweringAsync(client, () => OnPublicHost(HttpMethod.Get, "/ready"));
        Assert.True(ready.StatusCode == HttpStatusCode.OK, api.Output);
        // Production sends HSTS by default.
        Assert.StartsWith("max-age=31536000", Assert.Single(ready.Headers.GetValues("Strict-Transport-Security")));
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.Equal(PublicUrl, openApi.GetProperty("servers")[0].GetProperty("url").GetString());

        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        var home = Directory.CreateTempSubdirectory("catsyphon-kestrel-tls-");
        try
        {
            var registered = await QueryDataset.RunCollectorAsync(home.FullName, "register", "--server", $"https://localhost:{port}",
                "--workspace", workspace.ToString(), "--token", stack.App.AdminToken, "--ca-cert", stack.Certificates.CaCertificateFile);
            Assert.Contains("Registered collector", registered);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_web_serves_https_from_a_PFX_with_HSTS()
    {
        var port = ServerProcess.FreePort();
        await using var web = ServiceProcess.Start(new Projects.CatSyphon_Web().ProjectPath, new Dictionary<string, string>(await BackendSettingsAsync())
        {
            ["ASPNETCORE_URLS"] = $"https://127.0.0.1:{port}",
            ["Kestrel__Certificates__Default__Path"] = stack.Certificates.ServerPfxFile,
            ["Kestrel__Certificates__Default__Password"] = stack.Certificates.PfxPassword,
            ["services__api__http__0"] = stack.App.BaseUrl(ResourceNames.Api),
        });
        using var client = new HttpClient(stack.Certificates.TrustingHandler()) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };

        using var signIn = await web.WaitUntilAnsweringAsync(client, () => OnPublicHost(HttpMethod.Get, "/sign-in"));

        Assert.True(signIn.StatusCode == HttpStatusCode.OK, web.Output);
        Assert.Contains("Sign in", await signIn.Content.ReadAsStringAsync());
        Assert.StartsWith("max-age=31536000", Assert.Single(signIn.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task A_certificate_file_that_is_missing_stops_the_start_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.pem");
        await using var api = ServiceProcess.Start(new Projects.CatSyphon_ApiService().ProjectPath, new Dictionary<string, string>(await BackendSettingsAsync())
        {
            ["ASPNETCORE_URLS"] = $"https://127.0.0.1:{ServerProcess.FreePort()}",
            ["Kestrel__Certificates__Default__Path"] = missing,
            ["Kestrel__Certificates__Default__KeyPath"] = stack.Certificates.ServerKeyFile,
            ["Admin__Token"] = stack.App.AdminToken,
        });

        Assert.True(await api.ExitsWithinAsync(TimeSpan.FromSeconds(60)), "the API kept running without its certificate");
        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains(missing, api.Output);
    }

    /// <summary>What a deployment gives every service: Production, the public address, PostgreSQL and Redis.</summary>
    private async Task<Dictionary<string, string>> BackendSettingsAsync() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["PublicUrl"] = PublicUrl,
        [$"ConnectionStrings__{ResourceNames.Database}"] = await stack.App.GetConnectionStringAsync(ResourceNames.Database),
        [$"ConnectionStrings__{ResourceNames.Redis}"] = await stack.App.GetConnectionStringAsync(ResourceNames.Redis),
    };

    /// <summary>A request for the public host name (HSTS is never sent for localhost or an IP address), on this process's port.</summary>
    private static HttpRequestMessage OnPublicHost(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = new Uri(PublicUrl).Host;
        return request;
    }
}

/// <summary>The TLS tests share one stack behind nginx and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class TlsCollection : ICollectionFixture<ProxiedStack>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "tls";
}
