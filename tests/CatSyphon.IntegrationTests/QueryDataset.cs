namespace CatSyphon.IntegrationTests;

/// <summary>
/// Two workspaces of Claude Code sessions pushed with <c>catsyphon push</c> and fully persisted, for the query
/// API tests. Workspace A: project alpha (session <see cref="AlphaSession"/>, 2026-03-01, with thinking, an edit,
/// a failing Bash call, two plan versions and a sub-agent) and project beta (session <see cref="BetaSession"/>,
/// 2026-03-05, a Write, and a reply of a model no price is known for). Workspace B: one session of its own, which A
/// must never see.
/// </summary>
/// <param name="Conversations">Conversation ids by session id (both workspaces).</param>
/// <param name="Projects">Project ids by name ("alpha", "beta", "other").</param>
/// <param name="ScanA"><c>catsyphon scan --json</c> of workspace A's tree: the totals the API must reproduce.</param>
public sealed record QueryDataset(
    Guid WorkspaceA, Guid WorkspaceB, IReadOnlyDictionary<string, Guid> Conversations, IReadOnlyDictionary<string, Guid> Projects,
    JsonElement ScanA)
{
    public const string AlphaSession = "a1a1a1a1-0000-4000-8000-00000000000a";
    public const string BetaSession = "b2b2b2b2-0000-4000-8000-00000000000b";
    public const string OtherSession = "c3c3c3c3-0000-4000-8000-00000000000c";
    public const string SubAgentSession = AlphaSession + ":agent-x1";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static QueryDataset? loaded;

    public static async Task<QueryDataset> LoadAsync(CatSyphonApp app)
    {
        await Gate.WaitAsync();
        try
        {
            return loaded ??= await CreateAsync(app);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<QueryDataset> CreateAsync(CatSyphonApp app)
    {
        var root = Directory.CreateTempSubdirectory("catsyphon-query-");
        try
        {
            var treeA = Path.Combine(root.FullName, "a", "projects");
            WriteWorkspaceA(treeA);
            var treeB = Path.Combine(root.FullName, "b", "projects");
            WriteWorkspaceB(treeB);

            var workspaceA = await PushAsync(app, root.FullName, "home-a", treeA);
            var workspaceB = await PushAsync(app, root.FullName, "home-b", treeB);
            var scanA = await ScanAsync(Path.Combine(root.FullName, "home-a"), treeA);
            var scanB = await ScanAsync(Path.Combine(root.FullName, "home-b"), treeB);

            await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync(ResourceNames.Database));
            await connection.OpenAsync();
            await WaitForEventsAsync(connection, workspaceA, scanA.GetProperty("events").GetInt64());
            await WaitForEventsAsync(connection, workspaceB, scanB.GetProperty("events").GetInt64());
            var conversations = await ReadIdsAsync(connection, "SELECT session_id, id FROM conversations WHERE workspace_id = ANY($1)", workspaceA, workspaceB);
            var projects = await ReadIdsAsync(connection, "SELECT name, id FROM projects WHERE workspace_id = ANY($1)", workspaceA, workspaceB);
            return new QueryDataset(workspaceA, workspaceB, conversations, projects, scanA);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>Runs the catsyphon command line as a developer would, its home folder at <paramref name="home"/>; returns what it printed.</summary>
    public static async Task<string> RunCollectorAsync(string home, params string[] args)
    {
        var (exit, output, errors) = await CollectorCli.RunAsync(home, args);
        Assert.True(exit == 0, $"catsyphon {string.Join(' ', args)} exited with {exit}: {errors}");
        return output.ToString();
    }

    /// <summary><c>catsyphon scan --json</c> of a tree: files, sessions, events and token totals.</summary>
    public static async Task<JsonElement> ScanAsync(string home, string tree) =>
        JsonDocument.Parse(await RunCollectorAsync(home, "scan", tree, "--json")).RootElement.Clone();

    /// <summary>Waits until the workspace's stored events number <paramref name="expected"/>: everything pushed is persisted.</summary>
    public static async Task WaitUntilPersistedAsync(CatSyphonApp app, Guid workspace, long expected)
    {
        await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        await WaitForEventsAsync(connection, workspace, expected);
    }

    private static async Task<Guid> PushAsync(CatSyphonApp app, string root, string home, string tree)
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(app);
        var server = app.BaseUrl(ResourceNames.Api);
        await RunCollectorAsync(Path.Combine(root, home), "register", "--server", server, "--workspace", workspace.ToString(), "--token", app.AdminToken);
        await RunCollectorAsync(Path.Combine(root, home), "push", tree);
        return workspace;
    }

    private static async Task WaitForEventsAsync(NpgsqlConnection connection, Guid workspace, long expected)
    {
        await Poll.UntilAsync(async () =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.workspace_id = $1", connection)
            {
                Parameters = { new() { Value = workspace } },
            };
            return (long)(await command.ExecuteScalarAsync())! == expected;
        }, TimeSpan.FromSeconds(60), "the query dataset to be persisted");
    }

    private static async Task<Dictionary<string, Guid>> ReadIdsAsync(NpgsqlConnection connection, string sql, params Guid[] workspaces)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = workspaces } } };
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            ids[reader.GetString(0)] = reader.GetGuid(1);
        }

        return ids;
    }

    /// <summary>The Claude Code project folder of <c>/home/dev/&lt;name&gt;</c>, created, and the log lines of a session in it.</summary>
    private static (string Folder, ClaudeLines Lines) Project(string projects, string name, string session) =>
        (Directory.CreateDirectory(Path.Combine(projects, $"-home-dev-{name}")).FullName, new ClaudeLines(session, $"/home/dev/{name}"));

    private static void WriteWorkspaceA(string projects)
    {
        var (alpha, lines) = Project(projects, "alpha", AlphaSession);
        File.WriteAllLines(Path.Combine(alpha, $"{AlphaSession}.jsonl"),
        [
            lines.User("u1", "2026-03-01T10:00:00Z", "Refactor the tokenizer in the parser"),
            lines.Assistant("a1", "2026-03-01T10:00:05Z", "msg_1", "claude-sonnet-4-5-20250929",
                """[{"type":"thinking","thinking":"The tokenizer splits on spaces","signature":"s"},{"type":"text","text":"I will refactor the tokenizer."}]""",
                input: 100, output: 50, cacheCreation: 10, cacheRead: 1000),
            lines.Assistant("a2", "2026-03-01T10:01:00Z", "msg_2", "claude-sonnet-4-5-20250929",
                """[{"type":"tool_use","id":"toolu_edit","name":"Edit","input":{"file_path":"/home/dev/alpha/src/tokenizer.py","old_string":"split()","new_string":"split()\nstrip()\nlower()"}}]""",
                input: 5, output: 20),
            lines.ToolResult("r1", "2026-03-01T10:01:02Z", "toolu_edit", "The file was updated", isError: false),
            lines.Assistant("a3", "2026-03-01T10:02:00Z", "msg_3", "claude-sonnet-4-5-20250929",
                """[{"type":"tool_use","id":"toolu_bash","name":"Bash","input":{"command":"pytest -q"}}]""", input: 5, output: 10),
            lines.ToolResult("r2", "2026-03-01T10:02:30Z", "toolu_bash", "1 failed, 3 passed", isError: true),
            lines.Assistant("a4", "2026-03-01T10:03:00Z", "msg_4", "claude-sonnet-4-5-20250929",
                """[{"type":"tool_use","id":"toolu_plan1","name":"ExitPlanMode","input":{"plan":"1. Parse\n2. Store"}}]""", input: 5, output: 10),
            lines.Assistant("a5", "2026-03-01T10:04:00Z", "msg_5", "claude-sonnet-4-5-20250929",
                """[{"type":"tool_use","id":"toolu_plan2","name":"ExitPlanMode","input":{"plan":"1. Parse\n2. Store\n3. Test"}}]""", input: 5, output: 10),
        ]);
        var subagents = Directory.CreateDirectory(Path.Combine(alpha, AlphaSession, "subagents"));
        File.WriteAllLines(Path.Combine(subagents.FullName, "agent-x1.jsonl"),
        [
            lines.Assistant("s1", "2026-03-01T10:05:00Z", "msg_s1", "claude-haiku-4-5-20251001", """[{"type":"text","text":"Searched the codebase."}]""",
                input: 3, output: 7, sidechain: true),
        ]);

        var (beta, betaLines) = Project(projects, "beta", BetaSession);
        File.WriteAllLines(Path.Combine(beta, $"{BetaSession}.jsonl"),
        [
            betaLines.User("u1", "2026-03-05T09:00:00Z", "Write the README"),
            betaLines.Assistant("a1", "2026-03-05T09:00:10Z", "msg_b1", "claude-opus-4-1-20250805",
                """[{"type":"tool_use","id":"toolu_write","name":"Write","input":{"file_path":"/home/dev/beta/README.md","content":"one\ntwo\nthree"}}]""",
                input: 40, output: 60),
            betaLines.ToolResult("r1", "2026-03-05T09:00:11Z", "toolu_write", "File created", isError: false),
            betaLines.Assistant("a2", "2026-03-05T09:01:00Z", "msg_b2", "mystery-model-1", """[{"type":"text","text":"The README is written."}]""",
                input: 4, output: 6),
        ]);
    }

    private static void WriteWorkspaceB(string projects)
    {
        var (other, lines) = Project(projects, "other", OtherSession);
        File.WriteAllLines(Path.Combine(other, $"{OtherSession}.jsonl"),
        [
            lines.User("u1", "2026-03-02T08:00:00Z", "Refactor the tokenizer of workspace B"),
            lines.Assistant("a1", "2026-03-02T08:00:05Z", "msg_o1", "claude-sonnet-4-5-20250929",
                """[{"type":"tool_use","id":"toolu_other","name":"ExitPlanMode","input":{"plan":"Secret plan of B"}}]""", input: 1, output: 1),
        ]);
    }
}

/// <summary>Claude Code log lines (version 2.1.x shape) of one session.</summary>
public sealed class ClaudeLines(string sessionId, string cwd)
{
    public string SessionId => sessionId;

    public string User(string uuid, string timestamp, string text) =>
        Line(uuid, timestamp, "user", $$"""{"role":"user","content":{{JsonSerializer.Serialize(text)}}}""", null);

    public string ToolResult(string uuid, string timestamp, string toolUseId, string content, bool isError) =>
        Line(uuid, timestamp, "user",
            $$"""{"role":"user","content":[{"type":"tool_result","tool_use_id":"{{toolUseId}}","content":{{JsonSerializer.Serialize(content)}},"is_error":{{(isError ? "true" : "false")}}}]}""",
            null);

    public string Assistant(string uuid, string timestamp, string messageId, string model, string content,
        long input, long output, long cacheCreation = 0, long cacheRead = 0, bool sidechain = false) =>
        Line(uuid, timestamp, "assistant",
            $$$"""{"model":"{{{model}}}","id":"{{{messageId}}}","type":"message","role":"assistant","content":{{{content}}},"stop_reason":"end_turn","usage":{"input_tokens":{{{input}}},"output_tokens":{{{output}}},"cache_creation_input_tokens":{{{cacheCreation}}},"cache_read_input_tokens":{{{cacheRead}}}}}""",
            $"req_{messageId}", sidechain);

    private string Line(string uuid, string timestamp, string type, string message, string? requestId, bool sidechain = false) =>
        $$"""{"parentUuid":null,"isSidechain":{{(sidechain ? "true" : "false")}},"userType":"external","cwd":"{{cwd}}","sessionId":"{{sessionId}}","version":"2.1.39","gitBranch":"main","type":"{{type}}","message":{{message}}{{(requestId is null ? "" : $",\"requestId\":\"{requestId}\"")}},"uuid":"{{uuid}}","timestamp":"{{timestamp}}"}""";
}
