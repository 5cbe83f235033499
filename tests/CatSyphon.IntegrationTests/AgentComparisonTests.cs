using CatSyphon.Contracts;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// Real Gemini CLI and Aider logs pushed by the <c>catsyphon</c> tool reach the server under their own agent types, with
/// their token counts, get tagged, and the activity report compares the agents: sessions, tokens and tagged outcomes.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class AgentComparisonTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-agents-")
{
    private const string GeminiFile = "session-2025-10-11T13-00-2d9ea14f.json";

    [Fact]
    public async Task Pushed_gemini_and_aider_sessions_are_compared_by_agent()
    {
        var chats = Directory.CreateDirectory(Path.Combine(Home.FullName, ".gemini", "tmp", "0f3c9a", "chats"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "gemini", GeminiFile), Path.Combine(chats.FullName, GeminiFile));
        var project = Directory.CreateDirectory(Path.Combine(Home.FullName, "src", "mozgoslav"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "aider", "AlexShchuka__mozgoslav", ".aider.chat.history.md"),
            Path.Combine(project.FullName, ".aider.chat.history.md"));
        var workspace = await RegisterInNewWorkspaceAsync();
        Assert.Equal(0, (await RunAsync("push", Path.Combine(Home.FullName, ".gemini"), Path.Combine(Home.FullName, "src"))).Exit);
        using var admin = App.CreateAdminClient();

        // Every session of both agents stored and tagged (they ended long ago, so the worker tags them at its next round).
        var report = await Poll.LatestAsync(
            async () => await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/stats/activity?workspace_id={workspace}&group_by=agent_type")),
            page => Tagged(Group(page, "gemini-cli")) == 1 && Tagged(Group(page, "aider")) == 3,
            TimeSpan.FromSeconds(120));
        var gemini = Group(report, "gemini-cli");
        var aider = Group(report, "aider");
        Assert.True(gemini.ValueKind == JsonValueKind.Object && aider.ValueKind == JsonValueKind.Object, $"Both agents in the report: {report}");
        Assert.Equal(1, Tagged(gemini));
        Assert.Equal(3, Tagged(aider));
        Assert.Equal(2, report.GetProperty("groups").GetArrayLength());

        // The counts written down by hand from the files (see the Protocol tests): Gemini's exact tokens, aider's rounded ones.
        Assert.Equal(1, gemini.GetProperty("sessions").GetInt64());
        Assert.Equal(54_874, gemini.GetProperty("input_tokens").GetInt64());
        Assert.Equal(2_397, gemini.GetProperty("output_tokens").GetInt64());
        Assert.Equal(121_305, gemini.GetProperty("cache_read_tokens").GetInt64());
        Assert.Equal(3, aider.GetProperty("sessions").GetInt64());
        Assert.Equal(83_800, aider.GetProperty("input_tokens").GetInt64());
        Assert.Equal(25_550, aider.GetProperty("output_tokens").GetInt64());

        // The tagged outcomes per agent are those of the agent's sessions in the archive, and the success rate is theirs.
        var sessions = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/conversations?workspace_id={workspace}&limit=50"));
        foreach (var (agentType, group) in new[] { ("gemini-cli", gemini), ("aider", aider) })
        {
            var expected = sessions.GetProperty("items").EnumerateArray()
                .Where(s => s.GetProperty("agent_type").GetString() == agentType)
                .GroupBy(s => s.GetProperty("tags").GetProperty("outcome").GetString()!)
                .ToDictionary(same => same.Key, same => (long)same.Count());
            var counted = group.GetProperty("tagged_outcomes").EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetInt64());
            Assert.Equal(expected.OrderBy(p => p.Key), counted.OrderBy(p => p.Key));
            Assert.Equal(OutcomeRates.Success(expected), group.GetProperty("success_rate") is { ValueKind: JsonValueKind.Number } rate ? rate.GetDouble() : null);
        }

        var totals = report.GetProperty("totals").GetProperty("tagged_outcomes").EnumerateObject().Sum(o => o.Value.GetInt64());
        Assert.Equal(4, totals);
    }

    private static JsonElement Group(JsonElement report, string agentType) =>
        report.GetProperty("groups").EnumerateArray().FirstOrDefault(g => g.GetProperty("key").GetString() == agentType);

    private static long Tagged(JsonElement group) => group.ValueKind != JsonValueKind.Object ? 0
        : group.GetProperty("tagged_outcomes").EnumerateObject().Sum(o => o.Value.GetInt64());
}
