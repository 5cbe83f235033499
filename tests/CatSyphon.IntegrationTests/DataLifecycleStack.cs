namespace CatSyphon.IntegrationTests;

/// <summary>What the erasure and retention tests send, ask and read back: sessions with every derived row, jobs, the database.</summary>
public static class DataLifecycleStack
{
    /// <summary>Rows derived from a session, per table; every one goes with it.</summary>
    public static readonly string[] DerivedTables = ["messages", "tool_calls", "files_touched", "plans", "token_usages", "token_usage_days", "tool_call_days"];

    /// <summary>
    /// Sends a session on <paramref name="day"/> with a row of every derived kind (events, a priced response, a tool
    /// call, a plan, a file touched) and waits until it is stored. Five events.
    /// </summary>
    public static async Task SendSessionAsync(CollectorClient collector, string sessionId, DateTimeOffset day, string developer = "dev")
    {
        string At(int second) => day.AddSeconds(second).ToString("yyyy-MM-ddTHH:mm:ssZ");
        object[] events =
        [
            new { type = "session_start", emitted_at = At(0), sequence = 1L, data = new { agent_type = "claude-code", working_directory = "/home/dev/p", developer } },
            new { type = "message", emitted_at = At(1), sequence = 2L, data = new { author_role = "user", message_type = "prompt", content = "plan it" } },
            new
            {
                type = "message", emitted_at = At(2), sequence = 3L,
                data = new { author_role = "assistant", message_type = "response", content = "ok", model = "claude-opus-4-6", token_usage = new { input_tokens = 100, output_tokens = 20 } },
            },
            new
            {
                type = "tool_call", emitted_at = At(3), sequence = 4L,
                data = new { tool_name = "ExitPlanMode", tool_use_id = "plan-1", parameters = new { plan = "the plan" }, plan = new { content = "the plan" } },
            },
            new { type = "session_end", emitted_at = At(4), sequence = 5L, data = new { outcome = "success", files_touched = new[] { "/home/dev/p/a.cs" } } },
        ];
        await collector.SendAcceptedAsync(sessionId, events);
        await collector.WaitForPersistedAsync(sessionId, 5);
    }

    /// <summary>The 202 of an erasure request, and its job once the worker finished it.</summary>
    public static async Task<JsonElement> EraseAsync(HttpClient admin, Guid workspace, string what, object body)
    {
        using var response = await admin.PostAsJsonAsync($"/api/workspaces/{workspace}/erase/{what}", body);
        var job = await CollectorClient.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, job.ToString());
        Assert.Equal($"/api/workspaces/{workspace}/data-jobs/{job.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        return await FinishedAsync(admin, workspace, job.GetProperty("id").GetGuid());
    }

    public static async Task<JsonElement> FinishedAsync(HttpClient admin, Guid workspace, Guid jobId)
    {
        var job = await Poll.LatestAsync(
            async () => await admin.GetFromJsonAsync<JsonElement>($"/api/workspaces/{workspace}/data-jobs/{jobId}"),
            job => job.GetProperty("status").GetString() is "succeeded" or "failed",
            TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        return job;
    }

    public static long Count(JsonElement job, string kind) => job.GetProperty("counts").GetProperty(kind).GetInt64();

    /// <summary>The workspace's rows per derived table, and its conversations by session id.</summary>
    public static async Task<(Dictionary<string, long> Derived, List<string> Sessions)> StoredAsync(CatSyphonApp app, Guid workspace)
    {
        await using var connection = await OpenAsync(app);
        var derived = new Dictionary<string, long>();
        foreach (var table in DerivedTables)
        {
            derived[table] = await ScalarAsync<long>(connection,
                $"SELECT count(*) FROM {table} t JOIN conversations c ON c.id = t.conversation_id WHERE c.workspace_id = $1", workspace);
        }

        derived["message_search"] = await ScalarAsync<long>(connection, "SELECT count(*) FROM message_search WHERE workspace_id = $1", workspace);
        var sessions = new List<string>();
        await using var command = new NpgsqlCommand("SELECT session_id FROM conversations WHERE workspace_id = $1 ORDER BY session_id", connection)
        {
            Parameters = { new() { Value = workspace } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sessions.Add(reader.GetString(0));
        }

        return (derived, sessions);
    }

    public static async Task<NpgsqlConnection> OpenAsync(CatSyphonApp app)
    {
        var connection = new NpgsqlConnection(await app.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        return connection;
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The workspace's audit entries of <paramref name="action"/>, oldest first, as their details.</summary>
    public static async Task<List<(string Actor, JsonElement Details)>> AuditAsync(CatSyphonApp app, Guid workspace, string action)
    {
        await using var connection = await OpenAsync(app);
        await using var command = new NpgsqlCommand(
            "SELECT actor, coalesce(details::text, 'null') FROM audit_log WHERE workspace_id = $1 AND action = $2 ORDER BY occurred_at", connection)
        {
            Parameters = { new() { Value = workspace }, new() { Value = action } },
        };
        var entries = new List<(string, JsonElement)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetString(0), JsonDocument.Parse(reader.GetString(1)).RootElement.Clone()));
        }

        return entries;
    }
}
