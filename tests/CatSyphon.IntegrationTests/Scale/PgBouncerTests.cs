using System.Net;
using CatSyphon.IntegrationTests.Tls;

namespace CatSyphon.IntegrationTests.Scale;

/// <summary>
/// The API and the worker through PgBouncer in transaction pooling mode: every statement of theirs (binary COPY into
/// temporary tables, advisory transaction locks, SET LOCAL of the search and pricing queries) must hold within one
/// transaction, since the next one may run on another server connection. They run as a deployment runs them, with
/// only PgBouncer's address; the stack's own API and worker are stopped.
/// </summary>
public sealed class PgBouncerTests
{
    private const int Sessions = 24;
    private const int ExchangesPerSession = 30;

    [Fact]
    public async Task Collectors_push_and_people_query_through_PgBouncer_in_transaction_mode()
    {
        await using var app = await CatSyphonApp.StartHealthyAsync();
        await using var bouncer = await PgBouncer.StartAsync(await app.GetConnectionStringAsync(ResourceNames.Database));
        await app.ExecuteCommandAsync(ResourceNames.Api, KnownResourceCommands.StopCommand);
        await app.ExecuteCommandAsync(ResourceNames.Worker, KnownResourceCommands.StopCommand);

        Dictionary<string, string> Settings(int port) => new()
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            [$"ConnectionStrings__{ResourceNames.Database}"] = bouncer.ConnectionString,
            [$"ConnectionStrings__{ResourceNames.Redis}"] = app.GetConnectionStringAsync(ResourceNames.Redis).GetAwaiter().GetResult(),
            ["Admin__Token"] = app.AdminToken,
        };
        var (apiPort, workerPort) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        await using var api = ServiceProcess.Start(new Projects.CatSyphon_ApiService().ProjectPath, Settings(apiPort));
        await using var worker = ServiceProcess.Start(new Projects.CatSyphon_Worker().ProjectPath, Settings(workerPort));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{workerPort}") };
        using (var apiReady = await api.WaitUntilAnsweringAsync(http, () => new(HttpMethod.Get, "/ready")))
        using (var workerReady = await worker.WaitUntilAnsweringAsync(probe, () => new(HttpMethod.Get, "/ready")))
        {
            Assert.True(apiReady.StatusCode == HttpStatusCode.OK, api.Output);
            Assert.True(workerReady.StatusCode == HttpStatusCode.OK, worker.Output);
        }

        http.DefaultRequestHeaders.Authorization = new("Bearer", app.AdminToken);
        using var created = await http.PostAsJsonAsync("/api/workspaces", new { name = "Pooled", slug = $"pooled-{Guid.NewGuid():N}"[..20] });
        var workspace = (await CollectorClient.ReadJsonAsync(created)).GetProperty("id").GetGuid();
        var root = Directory.CreateTempSubdirectory("catsyphon-pgbouncer-");
        try
        {
            var home = Path.Combine(root.FullName, "home");
            await QueryDataset.RunCollectorAsync(home, "register", "--server", http.BaseAddress.ToString(), "--workspace", workspace.ToString(), "--token", app.AdminToken);
            var tree = Path.Combine(root.FullName, "projects");
            WriteSessions(tree);
            // Eight files at once: many more client connections than PgBouncer's server pool.
            await QueryDataset.RunCollectorAsync(home, "push", tree, "--parallel", "8");
            var scan = await QueryDataset.ScanAsync(home, tree);
            await QueryDataset.WaitUntilPersistedAsync(app, workspace, scan.GetProperty("events").GetInt64());

            var list = await http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={workspace}&limit=100");
            Assert.Equal(Sessions, list.GetProperty("items").GetArrayLength());
            var hits = await http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={workspace}&q=pooling");
            Assert.Equal(1, hits.GetProperty("items").GetArrayLength());
            var tokens = await http.GetFromJsonAsync<JsonElement>($"/api/stats/tokens?workspace_id={workspace}&group_by=model");
            Assert.Equal(scan.GetProperty("tokens").GetProperty("total").GetInt64(), tokens.GetProperty("totals").GetProperty("total").GetInt64());
        }
        finally
        {
            root.Delete(recursive: true);
        }

        Assert.DoesNotContain("ERROR", bouncer.Log, StringComparison.Ordinal);
    }

    /// <summary>Sessions of a few exchanges each; only the last one mentions pooling.</summary>
    private static void WriteSessions(string tree)
    {
        var project = Directory.CreateDirectory(Path.Combine(tree, "-home-dev-pooled"));
        var today = DateTimeOffset.UtcNow.UtcDateTime.Date;
        for (var session = 0; session < Sessions; session++)
        {
            var id = $"{session:x8}-0000-4000-8000-000000000099";
            var lines = new ClaudeLines(id, "/home/dev/pooled");
            var topic = session == Sessions - 1 ? "connection pooling" : $"feature number {session}";
            File.WriteAllLines(Path.Combine(project.FullName, $"{id}.jsonl"), Enumerable.Range(0, ExchangesPerSession).SelectMany(exchange =>
            {
                var at = today.AddHours(9).AddMinutes(exchange).ToString("yyyy-MM-ddTHH:mm:ssZ");
                return new[]
                {
                    lines.User($"u{exchange}", at, $"Question {exchange} about {topic}"),
                    lines.Assistant($"a{exchange}", at, $"msg_{session}_{exchange}", "claude-sonnet-4-5-20250929",
                        """[{"type":"text","text":"An answer."}]""", input: 100 + exchange, output: 20),
                };
            }));
        }
    }
}
