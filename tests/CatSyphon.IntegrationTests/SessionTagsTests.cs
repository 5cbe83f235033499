namespace CatSyphon.IntegrationTests;

/// <summary>
/// A pushed Claude Code session of last March (long idle) is tagged by the worker, and the API shows its tags in the list
/// and detail, filters by them, and counts them in the insight distribution.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class SessionTagsTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-tags-")
{
    private static readonly ClaudeLines Log = new("5f1c2a9e-0000-4000-8000-0000000000a7", "/home/dev/shop");

    [Fact]
    public async Task A_pushed_idle_session_gets_tags_evidence_filters_and_counts()
    {
        var project = Directory.CreateDirectory(Path.Combine(Home.FullName, "projects", "-home-dev-shop"));
        File.WriteAllLines(Path.Combine(project.FullName, $"{Log.SessionId}.jsonl"),
        [
            Log.User("u1", "2026-03-01T10:00:00Z", "The checkout total is wrong when a coupon is applied, fix it"),
            ToolUse("a1", "2026-03-01T10:00:10Z", "t1", "Edit", """{"file_path":"/home/dev/shop/src/checkout.py","old_string":"a","new_string":"b"}"""),
            Log.ToolResult("r1", "2026-03-01T10:00:20Z", "toolu_t1", "The file has been updated.", isError: false),
            ToolUse("a2", "2026-03-01T10:00:30Z", "t2", "Bash", """{"command":"pytest -q"}"""),
            Log.ToolResult("r2", "2026-03-01T10:00:40Z", "toolu_t2", "14 passed in 0.41s", isError: false),
            Log.Assistant("a3", "2026-03-01T10:00:50Z", "msg_a3", "claude-opus-4-6", """[{"type":"text","text":"Fixed: the coupon was applied twice."}]""", input: 1, output: 1),
        ]);
        var workspace = await RegisterInNewWorkspaceAsync();
        Assert.Equal(0, (await RunAsync("push", Path.Combine(Home.FullName, "projects"))).Exit);
        using var admin = App.CreateAdminClient();

        var tagged = await Poll.LatestAsync(
            async () => await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/conversations?workspace_id={workspace}&outcome=success&intent=bug_fix")),
            page => page.GetProperty("items").GetArrayLength() == 1,
            TimeSpan.FromSeconds(30));
        if (tagged.GetProperty("items").GetArrayLength() == 0)
        {
            var all = await admin.GetStringAsync($"/api/conversations?workspace_id={workspace}");
            Assert.Fail($"No session tagged success and bug_fix within 30 s; the workspace's sessions: {all}");
        }

        var item = Assert.Single(tagged.GetProperty("items").EnumerateArray());
        var tags = item.GetProperty("tags");
        Assert.Equal("bug_fix", tags.GetProperty("intent").GetString());
        Assert.Equal("success", tags.GetProperty("outcome").GetString());
        Assert.Equal(0, tags.GetProperty("error_count").GetInt32());
        Assert.Equal(["Bash", "Edit"], tags.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).Order());
        Assert.Equal(["python"], tags.GetProperty("languages").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["src"], tags.GetProperty("areas").EnumerateArray().Select(t => t.GetString()));

        var others = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/conversations?workspace_id={workspace}&outcome=failed"));
        Assert.Equal(0, others.GetProperty("items").GetArrayLength());
        using var invalid = await admin.GetAsync($"/api/conversations?workspace_id={workspace}&intent=party");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);

        var detail = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/conversations/{item.GetProperty("id").GetGuid()}?workspace_id={workspace}"));
        var evidence = detail.GetProperty("evidence").EnumerateArray().ToList();
        Assert.Contains(evidence, e => e.GetProperty("tag").GetString() == "outcome" && e.GetProperty("detail").GetString()!.Contains("pytest -q"));
        Assert.Contains(evidence, e => e.GetProperty("tag").GetString() == "intent" && e.GetProperty("detail").GetString()!.Contains("wrong"));

        var report = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/stats/insights?workspace_id={workspace}"));
        Assert.Equal(1, report.GetProperty("sessions").GetInt32());
        Assert.Equal(1, report.GetProperty("tagged").GetInt32());
        Assert.Equal(1, report.GetProperty("outcomes").GetProperty("success").GetInt32());
        Assert.Equal(0, report.GetProperty("outcomes").GetProperty("failed").GetInt32());
        Assert.Equal(1, report.GetProperty("intents").GetProperty("bug_fix").GetInt32());
    }

    private static string ToolUse(string uuid, string timestamp, string id, string tool, string toolInput) =>
        Log.Assistant(uuid, timestamp, $"msg_{uuid}", "claude-opus-4-6",
            $$"""[{"type":"tool_use","id":"toolu_{{id}}","name":"{{tool}}","input":{{toolInput}}}]""", input: 1, output: 1);
}
