namespace CatSyphon.IntegrationTests;

/// <summary>Creates workspaces and collectors through the admin API and talks to the API as that collector.</summary>
/// <param name="Http">The API client, sending the collector's key.</param>
public sealed record CollectorClient(HttpClient Http, Guid WorkspaceId, Guid CollectorId, string Key) : IDisposable
{
    public static async Task<Guid> CreateWorkspaceAsync(CatSyphonApp app, string registration = "token")
    {
        using var admin = app.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/api/workspaces", new { name = "Team", slug = $"team-{Guid.NewGuid():N}"[..24], collector_registration = registration });
        response.EnsureSuccessStatusCode();
        return (await ReadJsonAsync(response)).GetProperty("id").GetGuid();
    }

    public static async Task<CollectorClient> RegisterAsync(CatSyphonApp app, Guid? workspaceId = null)
    {
        var workspace = workspaceId ?? await CreateWorkspaceAsync(app);
        using var admin = app.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/collectors", new
        {
            collector_type = "test", collector_version = "1.0.0", hostname = "test-host", workspace_id = workspace,
        });
        response.EnsureSuccessStatusCode();
        var body = await ReadJsonAsync(response);
        var key = body.GetProperty("api_key").GetString()!;
        var http = app.CreateHttpClient(ResourceNames.Api);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new CollectorClient(http, workspace, body.GetProperty("collector_id").GetGuid(), key);
    }

    public Task<HttpResponseMessage> SendAsync(string sessionId, IEnumerable<object> events) =>
        Http.PostAsJsonAsync("/collectors/events", new { session_id = sessionId, events = events.ToArray() });

    public async Task<JsonElement> SendAcceptedAsync(string sessionId, IEnumerable<object> events)
    {
        using var response = await SendAsync(sessionId, events);
        var body = await ReadJsonAsync(response);
        if ((int)response.StatusCode != 202)
        {
            throw new InvalidOperationException($"Expected 202, got {(int)response.StatusCode}: {body}");
        }

        return body;
    }

    public async Task<JsonElement> SessionAsync(string sessionId)
    {
        using var response = await Http.GetAsync($"/collectors/sessions/{Uri.EscapeDataString(sessionId)}");
        response.EnsureSuccessStatusCode();
        return await ReadJsonAsync(response);
    }

    /// <summary>Waits until PostgreSQL holds the session up to <paramref name="sequence"/>.</summary>
    public async Task<JsonElement> WaitForPersistedAsync(string sessionId, long sequence, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var session = await SessionAsync(sessionId);
            if (session.GetProperty("persisted_sequence").GetInt64() >= sequence || DateTime.UtcNow > deadline)
            {
                return session;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Sends a session's <paramref name="events"/> (numbered 1 to n), waits until PostgreSQL holds them all and returns the id the
    /// API gives its conversation.
    /// </summary>
    public async Task<Guid> SendPersistedAsync(CatSyphonApp app, string sessionId, IReadOnlyList<object> events)
    {
        await SendAcceptedAsync(sessionId, events);
        await WaitForPersistedAsync(sessionId, events.Count);
        using var admin = app.CreateAdminClient();
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={WorkspaceId}");
        return page.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("session_id").GetString() == sessionId).GetProperty("id").GetGuid();
    }

    /// <summary>A Claude Code session's first event (sequence 1), by <paramref name="developer"/>.</summary>
    public static object SessionStart(string developer) => new
    {
        type = "session_start", emitted_at = "2026-11-01T09:59:00Z", sequence = 1L,
        data = new { agent_type = "claude-code", working_directory = "/home/dev/project", developer },
    };

    public static object Message(int index, long? sequence = null, string? hash = null, string content = "hello") => new
    {
        type = "message",
        emitted_at = DateTimeOffset.Parse("2026-11-01T10:00:00Z").AddSeconds(index).ToString("O"),
        sequence,
        event_hash = hash,
        data = new { author_role = index % 2 == 0 ? "user" : "assistant", message_type = index % 2 == 0 ? "prompt" : "response", content = $"{content} {index}" },
    };

    public static IEnumerable<object> Messages(int from, int count, bool sequenced = false) =>
        Enumerable.Range(from, count).Select(i => Message(i, sequenced ? i : null));

    /// <summary>What a 202 answer to a batch counted: the events newly accepted, and the duplicates.</summary>
    public static (int Accepted, int Duplicates) Counts(JsonElement answer) =>
        (answer.GetProperty("accepted").GetInt32(), answer.GetProperty("duplicates").GetInt32());

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => Http.Dispose();
}
