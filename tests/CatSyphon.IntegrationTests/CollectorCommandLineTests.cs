namespace CatSyphon.IntegrationTests;

/// <summary>The <c>catsyphon</c> command line against the running stack, each test with a private collector home.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class CollectorCommandLineTests(RunningStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo home = Directory.CreateTempSubdirectory("catsyphon-home-");

    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Register_with_an_enrollment_token_stores_private_credentials_and_status_reports_active()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        var token = await EnrollmentTokenAsync(workspace);

        var (registered, registerOutput, _) = await RunAsync("register", "--server", ServerUrl, "--workspace", workspace.ToString(), "--token", token);
        var (status, statusOutput, _) = await RunAsync("status");

        Assert.Equal(0, registered);
        Assert.Contains("Registered collector", registerOutput);
        var file = Path.Combine(home.FullName, "credentials.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Assert.StartsWith("cs_live_", credentials.RootElement.GetProperty("api_key").GetString());
        Assert.Equal(workspace, credentials.RootElement.GetProperty("workspace_id").GetGuid());
        Assert.Equal(0, status);
        Assert.Contains("active:     yes", statusOutput);
        Assert.Contains("files:      0 known", statusOutput);
        Assert.DoesNotContain(credentials.RootElement.GetProperty("api_key").GetString()!, statusOutput);
    }

    [Fact]
    public async Task Register_without_a_token_in_a_closed_workspace_fails_with_a_clear_message()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);

        var (exit, _, errors) = await RunAsync("register", "--server", ServerUrl, "--workspace", workspace.ToString());

        Assert.Equal(1, exit);
        Assert.Contains("enrollment token", errors);
        Assert.False(File.Exists(Path.Combine(home.FullName, "credentials.json")));
    }

    [Fact]
    public async Task Status_says_so_when_the_key_was_revoked()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        var (registered, _, _) = await RunAsync("register", "--server", ServerUrl, "--workspace", workspace.ToString(), "--token", await EnrollmentTokenAsync(workspace));
        Assert.Equal(0, registered);
        var stored = await new CredentialStore(new CollectorHome(home.FullName)).LoadAsync(CancellationToken.None);
        using var admin = App.CreateAdminClient();
        (await admin.PostAsync($"/api/collectors/{stored!.CollectorId}/revoke", null)).EnsureSuccessStatusCode();

        var (exit, _, errors) = await RunAsync("status");

        Assert.Equal(2, exit);
        Assert.Contains("Register again", errors);
    }

    [Fact]
    public async Task Scan_json_reports_the_logs_token_totals_as_ccusage_does()
    {
        var logs = Path.Combine(AppContext.BaseDirectory, "Fixtures", "claude", "projects");

        var (exit, output, _) = await RunAsync("scan", logs, "--json");

        Assert.Equal(0, exit);
        using var scan = JsonDocument.Parse(output);
        var root = scan.RootElement;
        Assert.Equal(2, root.GetProperty("files").GetInt32());
        Assert.Equal(2, root.GetProperty("sessions").GetInt32());
        Assert.Equal(0, root.GetProperty("malformed_lines").GetInt32());
        Assert.True(root.GetProperty("tool_calls").GetInt64() > 0);
        // ccusage 20.0.24 on these two files: 131,559 tokens, all claude-opus-4-6 on 2026-02-10.
        var tokens = root.GetProperty("tokens");
        Assert.Equal(57, tokens.GetProperty("input").GetInt64());
        Assert.Equal(225, tokens.GetProperty("output").GetInt64());
        Assert.Equal(31_531, tokens.GetProperty("cache_creation").GetInt64());
        Assert.Equal(99_746, tokens.GetProperty("cache_read").GetInt64());
        Assert.Equal(131_559, root.GetProperty("by_day").GetProperty("2026-02-10").GetProperty("total").GetInt64());
        Assert.Equal(131_559, root.GetProperty("by_model").GetProperty("claude-opus-4-6").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Scan_of_a_missing_path_is_a_clear_error()
    {
        var (exit, _, errors) = await RunAsync("scan", Path.Combine(home.FullName, "nowhere"));

        Assert.Equal(1, exit);
        Assert.Contains("No such file or folder", errors);
    }

    [Theory]
    [InlineData("--interval must be a number of seconds above 0", "watch", "--interval", "0")]
    [InlineData("--complete-after must be a number of seconds above 0", "watch", "--complete-after", "-5")]
    [InlineData("--heartbeat must be a number of seconds above 0 and at most 2147483", "watch", "--heartbeat", "1e12")]
    [InlineData("--parallel must be at least 1 (got 0)", "push", ".", "--parallel", "0")]
    public void Out_of_range_options_are_refused_when_the_command_line_is_parsed(string error, params string[] args)
    {
        var parsed = CollectorCommands.Build(new CollectorHome(home.FullName), TextWriter.Null, TextWriter.Null).Parse(args);

        Assert.Contains(parsed.Errors, parseError => parseError.Message.StartsWith(error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_sends_every_event_once_resumes_where_it_stopped_and_survives_a_rewrite()
    {
        var (workspace, source, lines, logs, log, sessionId) = await RegisterWithLargestFixtureAsync("logs", "-home-dev-demo");

        // The agent has written the first half (the last of it without its newline yet).
        await File.WriteAllTextAsync(log, string.Join('\n', lines.Take(lines.Length / 2)));
        var first = await RunAsync("push", logs.FullName);
        var afterFirst = await SessionEventsAsync(sessionId);

        await File.WriteAllTextAsync(log, string.Join('\n', lines) + "\n");
        var second = await RunAsync("push", logs.FullName);
        var total = await SessionEventsAsync(sessionId);
        var again = await RunAsync("push", logs.FullName);
        var status = await RunAsync("status");

        // Rewritten in place (same content, new file): read again from the start, nothing stored twice.
        File.Delete(log);
        await File.WriteAllTextAsync(log, string.Join('\n', lines) + "\n");
        File.Delete(Path.Combine(home.FullName, "state.json"));
        var rewritten = await RunAsync("push", logs.FullName);

        var (scanned, scanOutput, _) = await RunAsync("scan", log, "--json");
        Assert.Equal(0, scanned);
        var expected = JsonDocument.Parse(scanOutput).RootElement.GetProperty("events").GetInt64();
        Assert.All(new[] { first, second, again, rewritten }, run => Assert.Equal(0, run.Exit));
        Assert.InRange(afterFirst, 1, expected - 1);
        Assert.Equal(expected, total);
        Assert.Contains($"{expected - afterFirst} events accepted, 0 already on the server", second.Output);
        Assert.Contains("0 events accepted, 0 already on the server", again.Output);
        Assert.Contains("files:      1 known, 0 behind, 0 failed; backlog 0.0 KiB", status.Output);
        Assert.Contains("0 events accepted", rewritten.Output);
        Assert.Equal(expected, await SessionEventsAsync(sessionId));
    }

    [Fact]
    public async Task Push_reads_a_cursor_database_whole_then_only_the_chats_that_changed()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        Assert.Equal(0, (await RunAsync("register", "--server", ServerUrl, "--workspace", workspace.ToString(), "--token", await EnrollmentTokenAsync(workspace))).Exit);
        var folder = Directory.CreateDirectory(Path.Combine(home.FullName, "Cursor", "User", "workspaceStorage", "f87f6e0b2cf1ae8645cc0c5ffaa99529"));
        var database = Path.Combine(folder.FullName, "state.vscdb");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cursor", "state.vscdb"), database);
        var (_, scanOutput, _) = await RunAsync("scan", database, "--json");
        var expected = JsonDocument.Parse(scanOutput).RootElement.GetProperty("events").GetInt64();

        var first = await RunAsync("push", folder.FullName);
        var again = await RunAsync("push", folder.FullName);
        var before = await SessionEventsAsync(NewestComposer);
        AppendToNewestComposer(database); // Cursor adds a prompt and a reply to its newest composer
        var changed = await RunAsync("push", folder.FullName);

        Assert.All(new[] { first, again, changed }, run => Assert.Equal(0, run.Exit));
        Assert.Contains($"{expected} events accepted, 0 already on the server", first.Output);
        // Unchanged: only the composer stamped at the mark is read again (a change in that same millisecond is not missed),
        // and the server has all of it.
        Assert.Contains("0 events accepted", again.Output);
        Assert.Contains("2 events accepted", changed.Output); // the composer read whole again: only its new messages are stored
        Assert.Equal(before + 2, await SessionEventsAsync(NewestComposer));
    }

    private const string NewestComposer = "7ab14174-a536-4e2c-98e9-8c5e28fa2006";

    /// <summary>Adds a prompt and a reply to composer 7ab14174 and moves its lastUpdatedAt on, as Cursor rewrites the row.</summary>
    private static void AppendToNewestComposer(string database)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM ItemTable WHERE key = 'composer.composerData'";
        var data = JsonNode.Parse((string)read.ExecuteScalar()!)!;
        var composer = data["allComposers"]!.AsArray().Single(c => (string?)c!["composerId"] == NewestComposer)!;
        composer["lastUpdatedAt"] = (long)composer["lastUpdatedAt"]! + 60_000;
        composer["conversation"]!.AsArray().Add(new JsonObject { ["type"] = 1, ["bubbleId"] = "new-prompt", ["text"] = "and the tests?" });
        composer["conversation"]!.AsArray().Add(new JsonObject { ["type"] = 2, ["bubbleId"] = "new-reply", ["text"] = "Added them." });
        using var write = connection.CreateCommand();
        write.CommandText = "INSERT INTO ItemTable (key, value) VALUES ('composer.composerData', $value)";
        write.Parameters.AddWithValue("$value", data.ToJsonString());
        write.ExecuteNonQuery();
    }

    [Fact]
    public async Task Watch_follows_a_growing_file_sends_heartbeats_and_completes_the_session_when_idle()
    {
        var (workspace, source, lines, logs, log, sessionId) = await RegisterWithLargestFixtureAsync("claude", "-home-dev-demo");
        await File.WriteAllTextAsync(log, string.Join('\n', lines.Take(lines.Length / 3)) + "\n");
        var (_, scanOutput, _) = await RunAsync("scan", source, "--json");
        var expected = JsonDocument.Parse(scanOutput).RootElement.GetProperty("events").GetInt64();

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var printed = new LiveOutput();
        var watching = CollectorCli.RunAsync(home.FullName, ["watch", logs.Parent!.FullName, "--interval", "0.2", "--complete-after", "3", "--heartbeat", "0.5"], printed, stop.Token);
        await WaitUntilAsync(async () => await SessionEventsAsync(sessionId) > 0);
        var early = await SessionEventsAsync(sessionId);
        await File.AppendAllTextAsync(log, string.Join('\n', lines.Skip(lines.Length / 3)) + "\n");
        await WaitUntilAsync(async () => await SessionEventsAsync(sessionId) == expected);
        await WaitUntilAsync(async () => await SessionStatusAsync(sessionId) == "completed");
        // The watcher prints its line once the server has answered; the status can be read a moment before that.
        await WaitUntilAsync(() => Task.FromResult(printed.ToString().Contains($"completed idle session {sessionId}")));
        await stop.CancelAsync();
        var (exit, output, _) = await watching;

        Assert.InRange(early, 1, expected - 1);
        Assert.Equal(0, exit);
        Assert.Contains($"completed idle session {sessionId}", output);
        using var admin = App.CreateAdminClient();
        var listed = (await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/collectors?workspace_id={workspace}"))).EnumerateArray().Single();
        Assert.Equal(JsonValueKind.Number, listed.GetProperty("last_queue_depth").ValueKind);
    }

    [Fact]
    public async Task Watch_sends_a_write_at_once_instead_of_at_the_next_poll()
    {
        var (workspace, source, lines, logs, log, sessionId) = await RegisterWithLargestFixtureAsync("claude", "-home-dev-live");
        await File.WriteAllTextAsync(log, string.Join('\n', lines.Take(3)) + "\n");

        // Polls only every 10 minutes: anything sooner after the first look comes from the change notification.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var watching = RunAsync(stop.Token, "watch", logs.Parent!.FullName, "--interval", "600");
        await WaitUntilAsync(async () => await SessionEventsAsync(sessionId) > 0);
        var first = await SessionEventsAsync(sessionId);
        await File.AppendAllTextAsync(log, string.Join('\n', lines.Skip(3)) + "\n");
        await Poll.UntilAsync(async () => await SessionEventsAsync(sessionId) > first, TimeSpan.FromSeconds(30), "the change notification");
        await stop.CancelAsync();
        Assert.Equal(0, (await watching).Exit);
    }

    public void Dispose() => home.Delete(recursive: true);

    /// <summary>
    /// Registers a collector in a new workspace, and names a log file for the largest Claude fixture under
    /// <c>home/&lt;root&gt;/projects/&lt;project&gt;</c> (not written yet).
    /// </summary>
    private async Task<(Guid Workspace, string Source, string[] Lines, DirectoryInfo Logs, string Log, string SessionId)> RegisterWithLargestFixtureAsync(string root, string project)
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        Assert.Equal(0, (await RunAsync("register", "--server", ServerUrl, "--workspace", workspace.ToString(), "--token", await EnrollmentTokenAsync(workspace))).Exit);
        var source = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "claude", "projects"), "*.jsonl", SearchOption.AllDirectories)
            .OrderByDescending(file => new FileInfo(file).Length).First();
        var logs = Directory.CreateDirectory(Path.Combine(home.FullName, root, "projects", project));
        return (workspace, source, await File.ReadAllLinesAsync(source), logs, Path.Combine(logs.FullName, Path.GetFileName(source)), Path.GetFileNameWithoutExtension(source));
    }

    private async Task<string?> SessionStatusAsync(string sessionId) => (await SessionAsync(sessionId))?.GetProperty("status").GetString();

    private async Task<long> SessionEventsAsync(string sessionId) => (await SessionAsync(sessionId))?.GetProperty("event_count").GetInt64() ?? 0;

    /// <summary>The session as the server tells this home's collector about it; null while the server does not know it.</summary>
    private async Task<JsonElement?> SessionAsync(string sessionId)
    {
        var stored = await new CredentialStore(new CollectorHome(home.FullName)).LoadAsync(CancellationToken.None);
        using var collector = App.CreateHttpClient(ResourceNames.Api);
        collector.DefaultRequestHeaders.Authorization = new("Bearer", stored!.ApiKey);
        using var response = await collector.GetAsync($"/collectors/sessions/{Uri.EscapeDataString(sessionId)}");
        return response.IsSuccessStatusCode ? await CollectorClient.ReadJsonAsync(response) : null;
    }

    private string ServerUrl => App.BaseUrl(ResourceNames.Api);

    private async Task<string> EnrollmentTokenAsync(Guid workspace)
    {
        using var admin = App.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync($"/api/workspaces/{workspace}/enrollment-tokens", new { });
        response.EnsureSuccessStatusCode();
        return (await CollectorClient.ReadJsonAsync(response)).GetProperty("token").GetString()!;
    }

    private Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    private Task<(int Exit, string Output, string Errors)> RunAsync(CancellationToken cancellationToken, params string[] args) =>
        CollectorCli.RunAsync(home.FullName, args, cancellationToken);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Poll.UntilAsync(condition, TimeSpan.FromSeconds(60), "the watcher");
}
