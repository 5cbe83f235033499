namespace CatSyphon.IntegrationTests.Tls;

/// <summary>
/// A stack behind Debian's nginx with the deployment recipe, TLS ending at nginx with a certificate of the test's own
/// CA, and the installation's public address (<c>public-url</c>) set to nginx's https address.
/// </summary>
public sealed class ProxiedStack : IAsyncLifetime
{
    private CatSyphonApp? app;
    private NginxProxy? nginx;

    public CatSyphonApp App => app ?? throw new InvalidOperationException("The stack has not started.");

    public NginxProxy Nginx => nginx ?? throw new InvalidOperationException("nginx has not started.");

    public TestCertificateAuthority Certificates { get; } = TestCertificateAuthority.Create();

    /// <summary>The folder the API's collector feed offers packages from: empty at start, filled by the tests that need it.</summary>
    public DirectoryInfo FeedFolder { get; } = Directory.CreateTempSubdirectory("catsyphon-tls-feed-");

    /// <summary>The address people and collectors use: nginx's https port.</summary>
    public string PublicUrl => $"https://localhost:{Nginx.HttpsPort}";

    public async Task InitializeAsync()
    {
        // nginx's port must be known before the stack starts (the public address names it), and the stack's ports
        // before nginx starts: take a port now and give it to nginx later.
        var httpsPort = ServerProcess.FreePort();
        app = await CatSyphonApp.StartHealthyAsync(
            apiSettings: new Dictionary<string, string> { ["Hsts__Enabled"] = "true" },
            appHostSettings: new Dictionary<string, string>
            {
                ["Parameters:public-url"] = $"https://localhost:{httpsPort}",
                ["CollectorFeed:PackagesPath"] = FeedFolder.FullName,
            });
        nginx = await NginxProxy.StartAsync(new Uri(App.BaseUrl(ResourceNames.Api)), new Uri(App.BaseUrl(ResourceNames.Web)), Certificates, httpsPort);
    }

    /// <summary>A client of the public address that trusts the test CA, as a collector with <c>--ca-cert</c> does.</summary>
    public HttpClient CreatePublicClient() => new(Certificates.TrustingHandler()) { BaseAddress = new Uri(PublicUrl) };

    public async Task DisposeAsync()
    {
        if (nginx is not null)
        {
            await nginx.DisposeAsync();
        }

        if (app is not null)
        {
            await app.DisposeAsync();
        }

        FeedFolder.Delete(recursive: true);

        Certificates.Dispose();
    }
}
