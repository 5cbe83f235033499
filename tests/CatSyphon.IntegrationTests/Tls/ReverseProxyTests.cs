using System.Net;
using System.Net.Sockets;
using CatSyphon.IntegrationTests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Tls;

/// <summary>
/// The stack behind nginx with the committed recipe: collectors and clients reach it over https only, and the
/// services see the client's address and scheme as nginx passes them on.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class ReverseProxyTests(ProxiedStack stack, BrowserFixture browser)
{
    [Fact]
    public async Task A_person_signs_in_over_https_registers_as_shown_and_the_dashboard_updates_live()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var person = await TeamPeople.CreateMemberAsync(stack.App, workspace, "admin");
        // Chromium accepts the server's key and nothing else of the test CA's.
        await using var chromium = await browser.LaunchAsync($"--ignore-certificate-errors-spki-list={stack.Certificates.ServerKeyPin}");
        await using var context = await chromium.NewContextAsync(new() { BaseURL = stack.PublicUrl, ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await OnboardedWorkspace.SignInAsync(page, person.Email, person.Password);
        await Expect(page.GetByTestId("person-menu")).ToBeVisibleAsync();

        await page.GotoAsync($"/w/{workspace}/get-started");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create enrollment token" }).ClickAsync();
        var register = (await page.GetByTestId("register-command").InnerTextAsync()).Trim();
        Assert.StartsWith($"catsyphon register --server {stack.PublicUrl} --workspace {workspace} --token ", register);
        var cookies = await context.CookiesAsync();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.True(cookie.Secure, $"{cookie.Name} is not Secure"));

        await page.GotoAsync($"/w/{workspace}");
        await Expect(page.GetByTestId("metric-sessions")).ToHaveTextAsync("0");
        var root = Directory.CreateTempSubdirectory("catsyphon-https-live-");
        try
        {
            var home = Path.Combine(root.FullName, "home");
            await QueryDataset.RunCollectorAsync(home, [.. register.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..], "--ca-cert", stack.Certificates.CaCertificateFile]);
            var project = Directory.CreateDirectory(Path.Combine(root.FullName, "projects", "-home-dev-tls"));
            var lines = new ClaudeLines("b9b9b9b9-0000-4000-8000-00000000000b", "/home/dev/tls");
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
            File.WriteAllLines(Path.Combine(project.FullName, "b9b9b9b9-0000-4000-8000-00000000000b.jsonl"),
            [
                lines.User("u1", now, "Does this arrive over https?"),
                lines.Assistant("a1", now, "msg_t1", "claude-sonnet-4-5-20250929", """[{"type":"text","text":"Through nginx."}]""", input: 10, output: 5),
            ]);
            await QueryDataset.RunCollectorAsync(home, "push", Path.Combine(root.FullName, "projects"));
        }
        finally
        {
            root.Delete(recursive: true);
        }

        // The circuit's WebSocket goes through nginx: the open page learns of the session by itself.
        await Expect(page.GetByTestId("metric-sessions")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, "dashboard-over-https-through-nginx");
    }

    [Fact]
    public async Task A_collector_registers_and_pushes_over_https_with_the_organizations_CA()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        var root = Directory.CreateTempSubdirectory("catsyphon-https-");
        try
        {
            var home = Path.Combine(root.FullName, "home");
            var registered = await QueryDataset.RunCollectorAsync(home, "register", "--server", stack.PublicUrl, "--workspace", workspace.ToString(),
                "--token", stack.App.AdminToken, "--ca-cert", stack.Certificates.CaCertificateFile);
            Assert.Contains("Registered collector", registered);
            var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(home, "credentials.json"))).RootElement;
            Assert.Equal(stack.Certificates.CaCertificateFile, credentials.GetProperty("ca_cert").GetString());

            var tree = Path.Combine(root.FullName, "projects");
            SmallSessionTree.Write(tree, DateTimeOffset.UtcNow);
            await QueryDataset.RunCollectorAsync(home, "push", tree);
            var scan = await QueryDataset.ScanAsync(home, tree);
            await QueryDataset.WaitUntilPersistedAsync(stack.App, workspace, scan.GetProperty("events").GetInt64());

            var status = await QueryDataset.RunCollectorAsync(home, "status");
            Assert.Contains($"ca cert:    {stack.Certificates.CaCertificateFile}", status);
            Assert.Contains("active:     yes", status);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_certificate_the_collector_does_not_trust_stops_it_with_what_to_do_and_SSL_CERT_FILE_trusts_it()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        var root = Directory.CreateTempSubdirectory("catsyphon-untrusted-");
        try
        {
            var home = Path.Combine(root.FullName, "home");
            var (exit, _, errors) = await CollectorCli.RunAsync(home,
                ["register", "--server", stack.PublicUrl, "--workspace", workspace.ToString(), "--token", stack.App.AdminToken]);

            Assert.Equal(2, exit);
            Assert.Contains("The server's TLS certificate is not trusted", errors);
            Assert.Contains("--ca-cert", errors);
            Assert.False(File.Exists(Path.Combine(home, "credentials.json")));

            // The usual OpenSSL variable, read by .NET itself: checked in a process of its own, since the trusted
            // roots are read once per process.
            using var collector = await CollectorClient.RegisterAsync(stack.App, workspace);
            var trusted = await RunCollectorProcessAsync(root.FullName, collector, ("SSL_CERT_FILE", stack.Certificates.CaCertificateFile));
            Assert.True(trusted.Exit == 0, trusted.Output);
            Assert.Contains("reachable:  yes", trusted.Output);

            var untrusted = await RunCollectorProcessAsync(root.FullName, collector);
            Assert.Equal(2, untrusted.Exit);
            Assert.Contains("not trusted", untrusted.Output);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Nginx_passes_the_clients_address_and_https_on_and_plain_http_is_redirected()
    {
        // A client on another loopback address than nginx's own: the audit log must name it, not the proxy.
        using var person = await TeamPeople.CreateAsync(stack.App);
        using (var fromElsewhere = new HttpClient(FromAddress(stack.Certificates.TrustingHandler(), IPAddress.Parse("127.0.0.9"))) { BaseAddress = new Uri(stack.PublicUrl) })
        {
            using var refused = await fromElsewhere.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = "not the password at all" });
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var admin = stack.App.CreateAdminClient();
        var audit = await CollectorClient.ReadJsonAsync(await admin.GetAsync("/api/audit?action=signin.failed&limit=50"));
        var entry = audit.GetProperty("items").EnumerateArray().First(item => item.GetProperty("target_id").GetString() == person.Id.ToString());
        Assert.Equal("127.0.0.9", entry.GetProperty("address").GetString());

        using var client = stack.CreatePublicClient();
        using var health = new HttpRequestMessage(HttpMethod.Get, "/health");
        // HSTS is never sent for localhost; a real host name, on the same nginx.
        health.Headers.Host = $"catsyphon.test:{stack.Nginx.HttpsPort}";
        using var healthy = await client.SendAsync(health);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.StartsWith("max-age=31536000", Assert.Single(healthy.Headers.GetValues("Strict-Transport-Security")));

        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.Equal(stack.PublicUrl, openApi.GetProperty("servers")[0].GetProperty("url").GetString());

        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var redirected = await plain.GetAsync($"http://localhost:{stack.Nginx.HttpPort}/api/me");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
        Assert.Equal($"https://localhost/api/me", redirected.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Nginx_lets_batches_and_uploads_through_up_to_the_APIs_own_limits()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var client = stack.CreatePublicClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", stack.App.AdminToken);

        // 6 MiB in one file: above nginx's 1 MiB default and the 5 MiB of the collector paths, within the upload limit.
        var lines = new ClaudeLines("c8c8c8c8-0000-4000-8000-00000000000c", "/home/dev/big");
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var text = new string('x', 60_000);
        var file = string.Join('\n', Enumerable.Range(0, 105).Select(index => lines.User($"u{index}", now, $"{index} {text}")));
        using var form = new MultipartFormDataContent { { new StringContent(file), "files", "c8c8c8c8-0000-4000-8000-00000000000c.jsonl" } };
        using var uploaded = await client.PostAsync($"/api/uploads?workspace_id={workspace}", form);
        var body = await CollectorClient.ReadJsonAsync(uploaded);
        Assert.True(uploaded.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(105, body.GetProperty("files")[0].GetProperty("accepted").GetInt32());

        // The collector path: above 5 MiB nginx refuses; between 4 and 5 MiB the API refuses with its own problem details.
        using var collector = await CollectorClient.RegisterAsync(stack.App, workspace);
        using var collectorClient = stack.CreatePublicClient();
        collectorClient.DefaultRequestHeaders.Authorization = new("Bearer", collector.Key);
        collectorClient.DefaultRequestHeaders.Add("X-Collector-ID", collector.CollectorId.ToString());
        using var tooLargeForNginx = await collectorClient.PostAsync("/collectors/events", new ByteArrayContent(new byte[6 * 1024 * 1024]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLargeForNginx.StatusCode);
        using var tooLargeForTheApi = await collectorClient.PostAsync("/collectors/events",
            new StringContent(new string(' ', (int)(4.5 * 1024 * 1024)), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLargeForTheApi.StatusCode);
        Assert.Equal("application/problem+json", tooLargeForTheApi.Content.Headers.ContentType?.MediaType);
    }

    private async Task<(int Exit, string Output)> RunCollectorProcessAsync(string root, CollectorClient collector, params (string Name, string Value)[] environment)
    {
        var startInfo = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "catsyphon"))
        {
            ArgumentList = { "status" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["HOME"] = root,
                ["CATSYPHON_SERVER_URL"] = stack.PublicUrl,
                ["CATSYPHON_API_KEY"] = collector.Key,
                ["CATSYPHON_COLLECTOR_ID"] = collector.CollectorId.ToString(),
            },
        };
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    /// <summary>Connects from <paramref name="local"/> rather than the default loopback address.</summary>
    private static SocketsHttpHandler FromAddress(SocketsHttpHandler handler, IPAddress local)
    {
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        };
        return handler;
    }
}
