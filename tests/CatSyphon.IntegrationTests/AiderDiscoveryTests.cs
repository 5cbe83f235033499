namespace CatSyphon.IntegrationTests;

/// <summary>
/// Aider keeps its history in each project's git root, with no central folder: <c>watch</c> learns the projects from
/// the working directories other agents' sessions start in and follows their aider histories too.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class AiderDiscoveryTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-aider-roots-")
{
    [Fact]
    public async Task Watch_follows_the_aider_history_of_a_project_a_claude_session_started_in()
    {
        var project = Directory.CreateDirectory(Path.Combine(Home.FullName, "work", "automataii"));
        Directory.CreateDirectory(Path.Combine(project.FullName, ".git"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "aider", "AlanSynn__automataii", ".aider.chat.history.md"),
            Path.Combine(project.FullName, ".aider.chat.history.md"));
        // Claude Code was run in a folder inside the project; the watcher is told only about Claude's folder.
        var claude = new ClaudeLines("7d0c1f2e-0000-4000-8000-00000000a1de", Path.Combine(project.FullName, "src", "parser"));
        var logs = Directory.CreateDirectory(Path.Combine(Home.FullName, "claude", "projects", "-work-automataii-src-parser"));
        await File.WriteAllLinesAsync(Path.Combine(logs.FullName, $"{claude.SessionId}.jsonl"),
            [claude.User("u1", "2026-11-30T09:00:00Z", "Explain the tokenizer")]);
        var workspace = await RegisterInNewWorkspaceAsync();
        using var admin = App.CreateAdminClient();

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var watching = CollectorCli.RunAsync(Home.FullName, ["watch", Path.Combine(Home.FullName, "claude"), "--interval", "0.2"], new LiveOutput(), stop.Token);
        var sessions = await Poll.LatestAsync(
            async () => await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/conversations?workspace_id={workspace}&agent_type=aider")),
            page => page.GetProperty("items").GetArrayLength() == 2,
            TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        var (exit, _, errors) = await watching;

        Assert.Equal(0, exit);
        Assert.Equal(2, sessions.GetProperty("items").GetArrayLength());
        Assert.All(sessions.GetProperty("items").EnumerateArray(), s => Assert.StartsWith("aider-", s.GetProperty("session_id").GetString()));
        Assert.Empty(errors);
    }
}
