using System.Net;
using CatSyphon.IntegrationTests.Tls;

namespace CatSyphon.IntegrationTests.Scale;

/// <summary>
/// <c>ConnectionStrings__catsyphon-read</c>: the query API reads from a streaming replica, everything else (access
/// checks, management, ingestion) uses the primary. Pausing the replica's replay shows which server answered.
/// </summary>
public sealed class ReadReplicaTests
{
    [Fact]
    public async Task The_query_API_reads_from_the_replica_while_management_writes_to_the_primary()
    {
        await using var app = await CatSyphonApp.StartHealthyAsync();
        var primary = await app.GetConnectionStringAsync(ResourceNames.Database);
        await using var replica = await ReadReplica.StartAsync(primary);
        var port = ServerProcess.FreePort();
        await using var api = ServiceProcess.Start(new Projects.CatSyphon_ApiService().ProjectPath, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            [$"ConnectionStrings__{ResourceNames.Database}"] = primary,
            ["ConnectionStrings__catsyphon-read"] = replica.ConnectionString,
            [$"ConnectionStrings__{ResourceNames.Redis}"] = await app.GetConnectionStringAsync(ResourceNames.Redis),
            ["Admin__Token"] = app.AdminToken,
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using (var ready = await api.WaitUntilAnsweringAsync(http, () => new(HttpMethod.Get, "/ready")))
        {
            Assert.True(ready.StatusCode == HttpStatusCode.OK, api.Output);
        }

        http.DefaultRequestHeaders.Authorization = new("Bearer", app.AdminToken);
        using var onPrimary = app.CreateAdminClient();
        var workspace = await CreateWorkspaceAsync(http);
        using var collector = await CollectorClient.RegisterAsync(app, workspace);
        await SendSessionAsync(collector, "replica-first");
        Assert.Equal(1, await ConversationCountAsync(http, workspace, expected: 1));

        await replica.PauseReplayAsync();
        await SendSessionAsync(collector, "replica-second");
        Assert.Equal(2, await ConversationCountAsync(onPrimary, workspace, expected: 2));
        // Management reads and writes the primary even now.
        var another = await CreateWorkspaceAsync(http);
        using (var found = await http.GetAsync($"/api/workspaces/{another}"))
        {
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        }

        Assert.Equal(1, await ConversationCountAsync(http, workspace, expected: 2, TimeSpan.FromSeconds(2)));

        await replica.ResumeReplayAsync();
        Assert.Equal(2, await ConversationCountAsync(http, workspace, expected: 2));
    }

    private static async Task<Guid> CreateWorkspaceAsync(HttpClient http)
    {
        using var created = await http.PostAsJsonAsync("/api/workspaces", new { name = "Replicated", slug = $"replicated-{Guid.NewGuid():N}"[..24] });
        var body = await CollectorClient.ReadJsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetGuid();
    }

    private static async Task SendSessionAsync(CollectorClient collector, string sessionId)
    {
        await collector.SendAcceptedAsync(sessionId, CollectorClient.Messages(1, 4, sequenced: true));
        var session = await collector.WaitForPersistedAsync(sessionId, 4);
        Assert.Equal(4, session.GetProperty("persisted_sequence").GetInt64());
    }

    /// <summary>The workspace's conversations as the API lists them, once they are <paramref name="expected"/> or the wait is over.</summary>
    private static async Task<int> ConversationCountAsync(HttpClient http, Guid workspace, int expected, TimeSpan? wait = null) =>
        await Poll.LatestAsync(
            async () => (await http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={workspace}")).GetProperty("items").GetArrayLength(),
            count => count == expected,
            wait ?? TimeSpan.FromSeconds(30));
}
