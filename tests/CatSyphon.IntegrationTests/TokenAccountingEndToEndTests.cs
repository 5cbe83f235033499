namespace CatSyphon.IntegrationTests;

/// <summary>
/// From log files to analytics: a small Claude Code tree pushed with <c>catsyphon push</c> gives the
/// server the same token totals by UTC day and by model as <c>catsyphon scan</c> computes locally.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class TokenAccountingEndToEndTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-e2e-")
{
    private const string Session = "5f1c2a9e-0000-4000-8000-000000000001";

    [Fact]
    public async Task Server_token_totals_by_day_and_model_equal_the_scan_totals()
    {
        var projects = WriteTree();
        var workspace = await RegisterInNewWorkspaceAsync();

        var push = await RunAsync("push", projects);
        var scan = await RunAsync("scan", projects, "--json");
        Assert.Equal(0, push.Exit);
        Assert.Equal(0, scan.Exit);
        using var scanned = JsonDocument.Parse(scan.Output);
        var expectedTotal = scanned.RootElement.GetProperty("tokens").GetProperty("total").GetInt64();

        using var admin = App.CreateAdminClient();
        var byDay = await Poll.TokenStatsAsync(admin, workspace, "day", expectedTotal);

        var byModel = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/stats/tokens?workspace_id={workspace}&group_by=model"));

        AssertSameGroups(scanned.RootElement.GetProperty("by_day"), byDay.GetProperty("groups"));
        AssertSameGroups(scanned.RootElement.GetProperty("by_model"), byModel.GetProperty("groups"));
        Assert.Equal(expectedTotal, byDay.GetProperty("totals").GetProperty("total").GetInt64());
        // The tree spans two UTC days and two models; the split reply, the tool-only reply and the sub-agent copy
        // are each counted once (10 + 20, 7 + 3 + 100, 1 + 2).
        Assert.Equal(2, byDay.GetProperty("groups").GetArrayLength());
        Assert.Equal(143, expectedTotal);

        // Per conversation: the sub-agent's copy of the main reply counts in the main session only.
        var conversations = await CompatibilityWire.QueryAsync(App,
            "SELECT id, session_id FROM conversations WHERE workspace_id = $1", workspace);
        var totals = new Dictionary<string, long>();
        foreach (var conversation in conversations)
        {
            var tokens = await CompatibilityWire.ConversationTokensAsync(App, (Guid)conversation["id"]!);
            totals[(string)conversation["session_id"]!] = (long)tokens["input_tokens"]! + (long)tokens["output_tokens"]!
                + (long)tokens["cache_creation_tokens"]! + (long)tokens["cache_read_tokens"]!;
        }

        Assert.Equal(new Dictionary<string, long> { [Session] = 140, [Session + ":agent-abc1234"] = 3 }, totals);
    }

    [Fact]
    public async Task Codex_token_totals_on_the_server_equal_the_scan_totals()
    {
        var day = Directory.CreateDirectory(Path.Combine(Home.FullName, "codex", "sessions", "2026", "02", "23"));
        foreach (var fixture in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "codex"), "rollout-*.jsonl"))
        {
            File.Copy(fixture, Path.Combine(day.FullName, Path.GetFileName(fixture)));
        }

        var sessions = Path.Combine(Home.FullName, "codex", "sessions");
        var workspace = await RegisterInNewWorkspaceAsync();
        Assert.Equal(0, (await RunAsync("push", sessions)).Exit);
        var scan = await RunAsync("scan", sessions, "--json");
        using var scanned = JsonDocument.Parse(scan.Output);
        var expected = scanned.RootElement.GetProperty("tokens").GetProperty("total").GetInt64();
        Assert.True(expected > 0);

        using var admin = App.CreateAdminClient();
        var byModel = await Poll.TokenStatsAsync(admin, workspace, "model", expected);

        Assert.Equal(expected, byModel.GetProperty("totals").GetProperty("total").GetInt64());
        AssertSameGroups(scanned.RootElement.GetProperty("by_model"), byModel.GetProperty("groups"));
    }

    private static void AssertSameGroups(JsonElement scanned, JsonElement server)
    {
        var expected = scanned.EnumerateObject().Where(group => group.Name != "<none>")
            .ToDictionary(group => group.Name, group => Counts(group.Value));
        var actual = server.EnumerateArray().ToDictionary(group => group.GetProperty("key").GetString() ?? "<none>", Counts);
        Assert.Equal(expected.OrderBy(pair => pair.Key), actual.OrderBy(pair => pair.Key));
    }

    private static (long, long, long, long) Counts(JsonElement group) =>
        (group.GetProperty("input").GetInt64(), group.GetProperty("output").GetInt64(),
         group.GetProperty("cache_creation").GetInt64(), group.GetProperty("cache_read").GetInt64());

    /// <summary>
    /// A session with a reply split over two lines (the larger usage wins), a reply with only a tool call,
    /// and a nested sub-agent file holding a copy of a main reply (the main copy wins) and its own reply.
    /// </summary>
    private string WriteTree()
    {
        var project = Directory.CreateDirectory(Path.Combine(Home.FullName, "projects", "-home-dev-demo"));
        File.WriteAllLines(Path.Combine(project.FullName, $"{Session}.jsonl"),
        [
            User("u1", "2026-03-01T23:58:00Z", "Refactor the parser"),
            Assistant("a1", "2026-03-01T23:59:00Z", "msg_1", "req_1", "claude-opus-4-6", """[{"type":"thinking","thinking":"Let me look","signature":"x"}]""", 10, 5, 0, 0),
            Assistant("a2", "2026-03-01T23:59:01Z", "msg_1", "req_1", "claude-opus-4-6", """[{"type":"text","text":"Done."}]""", 10, 20, 0, 0),
            Assistant("a3", "2026-03-02T00:01:00Z", "msg_2", "req_2", "claude-haiku-4-5", """[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}]""", 7, 3, 0, 100),
        ]);
        var subagents = Directory.CreateDirectory(Path.Combine(project.FullName, Session, "subagents"));
        File.WriteAllLines(Path.Combine(subagents.FullName, "agent-abc1234.jsonl"),
        [
            Assistant("s1", "2026-03-02T00:01:00Z", "msg_2", "req_2", "claude-haiku-4-5", """[{"type":"text","text":"copy"}]""", 70, 3, 0, 100, sidechain: true),
            Assistant("s2", "2026-03-02T00:02:00Z", "msg_3", "req_3", "claude-haiku-4-5", """[{"type":"text","text":"sub-agent reply"}]""", 1, 2, 0, 0, sidechain: true),
        ]);
        return Path.Combine(Home.FullName, "projects");
    }

    private static string User(string uuid, string timestamp, string text) =>
        "{\"type\":\"user\",\"sessionId\":\"" + Session + "\",\"uuid\":\"" + uuid + "\",\"timestamp\":\"" + timestamp +
        "\",\"version\":\"2.1.39\",\"cwd\":\"/home/dev/demo\",\"message\":{\"role\":\"user\",\"content\":\"" + text + "\"}}";

    private static string Assistant(string uuid, string timestamp, string messageId, string requestId, string model, string content,
        long input, long output, long cacheCreation, long cacheRead, bool sidechain = false) =>
        "{\"type\":\"assistant\",\"sessionId\":\"" + Session + "\",\"uuid\":\"" + uuid + "\",\"timestamp\":\"" + timestamp +
        "\",\"version\":\"2.1.39\",\"cwd\":\"/home/dev/demo\",\"requestId\":\"" + requestId + "\",\"isSidechain\":" + (sidechain ? "true,\"agentId\":\"abc1234\"" : "false") +
        ",\"message\":{\"id\":\"" + messageId + "\",\"model\":\"" + model + "\",\"role\":\"assistant\",\"content\":" + content +
        ",\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":" + output + ",\"cache_creation_input_tokens\":" + cacheCreation +
        ",\"cache_read_input_tokens\":" + cacheRead + "}}}";
}
