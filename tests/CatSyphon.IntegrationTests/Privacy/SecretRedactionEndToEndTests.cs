namespace CatSyphon.IntegrationTests.Privacy;

/// <summary>
/// Every kind of planted secret, in every place a session holds text (prompts, replies, thinking, tool parameters and
/// results, file paths, plans, raw data), sent three ways: by the <c>catsyphon</c> collector, as an upload, and by a raw
/// client that skips the collector's own redaction. Then PostgreSQL's dump and Redis's files on disk hold none of them,
/// the markers are there, the words around them are searchable and the token totals are those of the scan.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class SecretRedactionEndToEndTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-secrets-")
{
    private readonly PlantedSecrets planted = new();

    [Fact]
    public async Task No_secret_sent_by_collector_upload_or_raw_client_reaches_postgresql_or_redis_files()
    {
        var workspace = await RegisterInNewWorkspaceAsync();
        var projects = Path.Combine(Home.FullName, "projects");
        var pushed = WriteSession(projects, "5ec12e70-0000-4000-8000-000000000001");
        Assert.Equal(0, (await RunAsync("push", projects)).Exit);
        var uploaded = WriteSession(Path.Combine(Home.FullName, "uploaded", "projects"), "5ec12e70-0000-4000-8000-000000000002");
        using var admin = App.CreateAdminClient();
        using (var upload = await admin.PostAsync($"/api/uploads?workspace_id={workspace}", UploadTests.Form([uploaded])))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        using var raw = await CollectorClient.RegisterAsync(App, workspace);
        var rawEvents = RawEvents().ToList();
        foreach (var batch in rawEvents.Chunk(50))
        {
            await raw.SendAcceptedAsync("raw-secrets", batch);
        }

        await raw.WaitForPersistedAsync("raw-secrets", rawEvents.Count);
        var scanned = await ScannedTokensAsync(pushed, uploaded);
        await Poll.UntilAsync(async () => await WorkspaceTokensAsync(admin, workspace) == scanned,
            TimeSpan.FromSeconds(60), "the server's token total to equal the scan's");

        var dump = await PgDumpAsync();
        var redisFiles = await RedisFilesAsync();
        foreach (var secret in planted.All)
        {
            foreach (var fragment in secret.Fragments)
            {
                Assert.False(dump.Contains(fragment, StringComparison.Ordinal), $"PostgreSQL holds the planted {secret.Kind}");
                Assert.False(redisFiles.Contains(fragment, StringComparison.Ordinal), $"Redis's files hold the planted {secret.Kind}");
            }

            Assert.Contains(secret.Marker, dump, StringComparison.Ordinal);
            Assert.True(await SearchFindsAsync(admin, workspace, secret.Word), $"search for '{secret.Word}' (beside a {secret.Kind})");
        }
    }

    /// <summary>A Claude Code session with every secret in a prompt, a reply, thinking, a command, its output, a plan and a path.</summary>
    private string WriteSession(string folder, string sessionId)
    {
        var log = new ClaudeLines(sessionId, "/home/dev/orders");
        var lines = new List<string>();
        var time = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        string At(int i) => time.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < planted.All.Count; i++)
        {
            var secret = planted.All[i];
            var text = JsonSerializer.Serialize(secret.Text);
            var n = i * 10;
            lines.Add(log.User($"u{n}", At(n), secret.Text));
            lines.Add(log.Assistant($"a{n}", At(n + 1), $"msg_a{n}", "claude-sonnet-4-5",
                $$"""[{"type":"thinking","thinking":{{text}},"signature":"sig"},{"type":"text","text":{{text}}}]""", input: 100 + i, output: 20 + i));
            lines.Add(log.Assistant($"b{n}", At(n + 2), $"msg_b{n}", "claude-sonnet-4-5",
                $$$"""[{"type":"tool_use","id":"toolu_b{{{n}}}","name":"Bash","input":{"command":{{{text}}}}}]""", input: 5, output: 5));
            lines.Add(log.ToolResult($"c{n}", At(n + 3), $"toolu_b{n}", secret.Text, isError: false));
            lines.Add(log.Assistant($"d{n}", At(n + 4), $"msg_d{n}", "claude-sonnet-4-5",
                $$$"""[{"type":"tool_use","id":"toolu_d{{{n}}}","name":"ExitPlanMode","input":{"plan":{{{text}}}}}]""", input: 5, output: 5));
            var path = secret.InPath ? $"/home/dev/orders/{secret.Secret}/notes.md" : "/home/dev/orders/notes.md";
            lines.Add(log.Assistant($"e{n}", At(n + 5), $"msg_e{n}", "claude-sonnet-4-5",
                $$$"""[{"type":"tool_use","id":"toolu_e{{{n}}}","name":"Write","input":{"file_path":{{{JsonSerializer.Serialize(path)}}},"content":{{{text}}}}}]""", input: 5, output: 5));
        }

        var project = Directory.CreateDirectory(Path.Combine(folder, "-home-dev-orders"));
        var file = Path.Combine(project.FullName, $"{sessionId}.jsonl");
        File.WriteAllLines(file, lines);
        return file;
    }

    /// <summary>Protocol events as a client that does no redaction of its own would send them: the API must do it all.</summary>
    private IEnumerable<object> RawEvents()
    {
        var sequence = 0;
        object Event(string type, object data) => new { type, emitted_at = "2026-11-20T10:00:00Z", sequence = ++sequence, data };
        yield return Event("session_start", new { agent_type = "test-agent" });
        foreach (var secret in planted.All)
        {
            yield return Event("message", new { author_role = "human", message_type = "prompt", content = secret.Text, raw = new { line = secret.Text } });
            yield return Event("thinking", new { content = secret.Text });
            yield return Event("tool_call", new
            {
                tool_name = "Bash", tool_use_id = $"t{sequence}",
                parameters = new { command = secret.Text, env = new Dictionary<string, string> { ["SERVICE_SECRET"] = secret.Secret } },
            });
            yield return Event("tool_result", new { tool_use_id = $"t{sequence - 1}", result = secret.Text, success = true });
        }
    }

    private async Task<long> ScannedTokensAsync(params string[] files)
    {
        var scan = await RunAsync(["scan", .. files, "--json"]);
        using var report = JsonDocument.Parse(scan.Output);
        // Each session holds every secret at least seven times (prompt, thinking, reply, command, output, plan, written file).
        Assert.True(report.RootElement.GetProperty("secrets_redacted").GetInt64() >= 2 * 7 * planted.All.Count, scan.Output);
        return report.RootElement.GetProperty("tokens").GetProperty("total").GetInt64();
    }

    private static async Task<long> WorkspaceTokensAsync(HttpClient admin, Guid workspace) =>
        (await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/stats/tokens?workspace_id={workspace}&group_by=day")))
        .GetProperty("totals").GetProperty("total").GetInt64();

    private static async Task<bool> SearchFindsAsync(HttpClient admin, Guid workspace, string word)
    {
        var page = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/conversations?workspace_id={workspace}&q={word}"));
        return page.GetProperty("items").GetArrayLength() > 0;
    }

    private async Task<string> PgDumpAsync()
    {
        var connection = new NpgsqlConnectionStringBuilder(await App.GetConnectionStringAsync(ResourceNames.Database));
        var start = new ProcessStartInfo("pg_dump", ["-h", "127.0.0.1", "-p", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", connection.Username!, connection.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = connection.Password;
        using var process = Process.Start(start)!;
        var dump = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await errors);
        return await dump;
    }

    /// <summary>Everything Redis keeps on disk: the append-only files (every write, as sent) and a fresh, uncompressed snapshot.</summary>
    private async Task<string> RedisFilesAsync()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(await App.GetConnectionStringAsync(ResourceNames.Redis) + ",allowAdmin=true");
        var server = redis.GetServers().Single();
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // appendfsync everysec
        await server.ConfigSetAsync("rdbcompression", "no");
        try
        {
            await server.ExecuteAsync("SAVE");
        }
        finally
        {
            await server.ConfigSetAsync("rdbcompression", "yes");
        }

        var folder = Path.Combine(App.DataDirectory, ResourceNames.Redis);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".aof", StringComparison.Ordinal) || f.EndsWith(".rdb", StringComparison.Ordinal)).ToList();
        Assert.Contains(files, f => f.EndsWith(".aof", StringComparison.Ordinal));
        var text = new StringBuilder();
        foreach (var file in files)
        {
            text.Append(Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)));
        }

        return text.ToString();
    }
}
