namespace CatSyphon.IntegrationTests;

/// <summary>
/// The project health report and the weekly digest over sessions with known tags across two ISO weeks (and a month
/// before, for the trend), in a workspace of their own beside another whose sessions must never count: every number is
/// worked out by hand below.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class TeamInsightsTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    /// <summary>
    /// Week W (the last complete one): alpha has 6 sessions, tiny (new, with a new developer) 1. Week W-1: alpha 4. A month
    /// and a half ago: alpha 3 (1 success of 3 decided), the trend's previous period.
    /// </summary>
    public static IReadOnlyList<SeededSession> Sessions(DateTimeOffset week) =>
    [
        new("Add CSV import", "alpha", "ana", week.AddHours(10), 90, "success", Commits: 3, Files: 5, TestRuns: 2, LastPassed: true, Errors: 1, Languages: ["python"]),
        new("Fix login bug", "alpha", "bo", week.AddDays(1).AddHours(9), 30, "success", Commits: 1, Files: 2, TestRuns: 1, LastPassed: true, Languages: ["python", "typescript"]),
        new("Refactor parser", "alpha", "ana", week.AddDays(2).AddHours(9), 45, "partial", Files: 4, TestRuns: 1, LastPassed: false, Errors: 3, Unresolved: 2,
            Targets: ["Bash:docker"], Iterations: 2, Languages: ["python"]),
        new("Deploy to prod", "alpha", "bo", week.AddDays(3).AddHours(9), 20, "failed", Errors: 4, Unresolved: 3, Targets: ["Bash:docker", "Bash:kubectl"], Iterations: 1),
        new("Explore the cache", "alpha", "ana", week.AddDays(4).AddHours(9), 10, "abandoned"),
        new("Write the docs", "alpha", "ana", week.AddDays(4).AddHours(11), 15, "success", Files: 1, Languages: ["markdown"]),
        new("Start tiny", "tiny", "cy", week.AddDays(5).AddHours(9), 5, "success", Files: 1),
        new("Add export", "alpha", "ana", week.AddDays(-6).AddHours(9), 40, "success", Commits: 2, Files: 3, TestRuns: 1, LastPassed: true),
        new("Fix the build", "alpha", "bo", week.AddDays(-5).AddHours(9), 40, "failed", Errors: 2, Unresolved: 2),
        new("Rename a module", "alpha", "bo", week.AddDays(-4).AddHours(9), 40, "success", Commits: 1, Files: 1),
        new("Answer a question", "alpha", "ana", week.AddDays(-3).AddHours(9), 40, "success"),
        new("Old failure one", "alpha", "ana", DateTimeOffset.UtcNow.AddDays(-45), 10, "failed"),
        new("Old failure two", "alpha", "bo", DateTimeOffset.UtcNow.AddDays(-46), 10, "failed"),
        new("Old success", "alpha", "ana", DateTimeOffset.UtcNow.AddDays(-47), 10, "success"),
    ];

    [Fact]
    public async Task Health_scores_each_part_from_the_workspaces_own_sessions()
    {
        var (workspace, projects, _) = await SeedTwoWorkspacesAsync();
        using var admin = App.CreateAdminClient();

        var report = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/insights/health?workspace_id={workspace}"));

        Assert.Equal(30, report.GetProperty("days").GetInt32());
        Assert.Contains("Σ(part × weight)", report.GetProperty("formula").GetString());
        var listed = report.GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal(["alpha", "tiny"], listed.Select(p => p.GetProperty("name").GetString()));
        var alpha = listed[0];
        Assert.Equal((10, 10), (alpha.GetProperty("sessions").GetInt32(), alpha.GetProperty("tagged_sessions").GetInt32()));
        var parts = alpha.GetProperty("parts").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p);
        Assert.Equal(65, parts["success_rate"].GetProperty("score").GetInt32());       // (6 + 1/2) / 10
        Assert.Equal(55, parts["errors"].GetProperty("score").GetInt32());             // 50 × (1 − 1/5) + 50 × 3/10
        Assert.Equal(7, parts["errors"].GetProperty("numbers").GetProperty("unresolved").GetInt32());
        Assert.Equal(90, parts["iterations"].GetProperty("score").GetInt32());         // 100 × (1 − 0.3/3)
        Assert.Equal(58, parts["test_discipline"].GetProperty("score").GetInt32());    // 50 × 4/6 + 50 × 3/6
        Assert.Equal(82, parts["trend"].GetProperty("score").GetInt32());              // 50 + (65 − 33.3)
        Assert.Equal(67, alpha.GetProperty("score").GetInt32());                       // 22.75 + 11 + 13.5 + 11.6 + 8.2
        var tiny = listed[1];
        Assert.Equal(JsonValueKind.Null, tiny.GetProperty("score").ValueKind);
        Assert.Contains("not enough data", tiny.GetProperty("not_enough_data").GetString());

        var detail = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/insights/health/{projects["alpha"]}?workspace_id={workspace}&days=30"));
        Assert.Equal(67, detail.GetProperty("project").GetProperty("score").GetInt32());
        var setbacks = detail.GetProperty("setbacks").EnumerateArray().Select(s => s.GetProperty("title").GetString()).ToList();
        Assert.Equal(["Deploy to prod", "Refactor parser", "Fix the build", "Explore the cache"], setbacks);

        var week = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/insights/health/{projects["alpha"]}?workspace_id={workspace}&days=7"));
        Assert.Equal(7, week.GetProperty("days").GetInt32());
        Assert.True(week.GetProperty("project").GetProperty("tagged_sessions").GetInt32() < 10);
    }

    [Fact]
    public async Task The_digest_compares_two_weeks_and_names_wins_blockers_and_highlights()
    {
        var (workspace, _, _) = await SeedTwoWorkspacesAsync();
        var (weekName, _) = InsightSeed.LastCompleteWeek();
        using var admin = App.CreateAdminClient();

        var digest = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/insights/digest?workspace_id={workspace}&week={weekName}"));

        Assert.Equal(weekName, digest.GetProperty("week").GetString());
        var metrics = digest.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m);
        Assert.Equal((7m, 4m, 3m), Values(metrics["sessions"]));
        Assert.Equal((3m, 2m, 1m), Values(metrics["developers"]));
        Assert.Equal((64.3m, 75m, -10.7m), Values(metrics["success_rate"]));   // (4 + 1/2) / 7 against 3 / 4
        Assert.Equal((8m, 2m, 6m), Values(metrics["tool_errors"]));
        Assert.Equal((4m, 1m, 3m), Values(metrics["test_runs"]));
        Assert.Equal((4m, 3m, 1m), Values(metrics["commits"]));
        Assert.Equal(["Add CSV import", "Fix login bug", "Write the docs", "Start tiny"], Titles(digest, "wins"));
        Assert.Equal(["Deploy to prod", "Explore the cache"], Titles(digest, "blockers"));
        Assert.Equal([("Bash:docker", 2), ("Bash:kubectl", 1)],
            digest.GetProperty("error_targets").EnumerateArray().Select(t => (t.GetProperty("name").GetString(), t.GetProperty("count").GetInt32())));
        var highlights = digest.GetProperty("highlights");
        Assert.Equal("Add CSV import", highlights.GetProperty("longest_session").GetProperty("title").GetString());
        Assert.Equal(("alpha", 6), (highlights.GetProperty("most_active_project").GetProperty("name").GetString(), highlights.GetProperty("most_active_project").GetProperty("count").GetInt32()));
        Assert.Equal(["tiny"], highlights.GetProperty("new_projects").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["cy"], highlights.GetProperty("new_developers").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(("python", 3), (highlights.GetProperty("top_languages")[0].GetProperty("name").GetString(), highlights.GetProperty("top_languages")[0].GetProperty("count").GetInt32()));
        var link = digest.GetProperty("wins")[0].GetProperty("link").GetString();
        Assert.StartsWith($"/w/{workspace}/sessions/", link);

        var byDefault = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/insights/digest?workspace_id={workspace}"));
        Assert.Equal(weekName, byDefault.GetProperty("week").GetString());
        Assert.Equal(digest.GetProperty("metrics").GetRawText(), byDefault.GetProperty("metrics").GetRawText());

        using var markdown = await admin.GetAsync($"/api/insights/digest.md?workspace_id={workspace}&week={weekName}&link_base=https://catsyphon.example.com");
        Assert.Equal(HttpStatusCode.OK, markdown.StatusCode);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        var text = await markdown.Content.ReadAsStringAsync();
        Assert.StartsWith($"# Weekly digest {weekName}", text);
        Assert.Contains("| Sessions | 7 | 4 | +3 |", text);
        Assert.Contains($"[open](https://catsyphon.example.com{link})", text);
        Assert.Contains("Bash:docker (2)", text);
        Assert.DoesNotContain("Other workspace", text);
        // Without the optional LLM there is nothing more.
        Assert.Equal(0, digest.GetProperty("sections").GetArrayLength());
        Assert.DoesNotContain("AI summary", text);
    }

    [Fact]
    public async Task With_LLM_insights_the_digest_adds_their_summaries_and_what_they_noticed_in_the_week()
    {
        var (workspace, projects, other) = await SeedTwoWorkspacesAsync();
        var (weekName, _) = InsightSeed.LastCompleteWeek();
        await InsightSeed.AddLlmInsightAsync(App, workspace, "Add CSV import", "positive", "Imported <b>CSV</b> with [a link](javascript:x)",
            ["slow fixtures"], ["use parametrized tests"]);
        await InsightSeed.AddLlmInsightAsync(App, workspace, "Deploy to prod", "frustrated", "The deploy kept failing on docker", ["slow fixtures", "docker auth"], []);
        await InsightSeed.AddLlmInsightAsync(App, other, "Other workspace win", "positive", "Elsewhere", ["other workspace problem"], []);
        using var admin = App.CreateAdminClient();

        var digest = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/insights/digest?workspace_id={workspace}&week={weekName}"));

        Assert.Equal("Imported <b>CSV</b> with [a link](javascript:x)", digest.GetProperty("wins")[0].GetProperty("ai_summary").GetString());
        Assert.Equal("The deploy kept failing on docker", digest.GetProperty("blockers")[0].GetProperty("ai_summary").GetString());
        Assert.Equal(JsonValueKind.Null, digest.GetProperty("wins")[1].GetProperty("ai_summary").ValueKind);
        var section = Assert.Single(digest.GetProperty("sections").EnumerateArray());
        Assert.Equal("What the AI insights noticed", section.GetProperty("title").GetString());
        Assert.Equal(
            ["Sentiment: frustrated 1, positive 1", "Problem (2 sessions): slow fixtures", "Problem (1 session): docker auth", "To learn (1 session): use parametrized tests"],
            section.GetProperty("lines").EnumerateArray().Select(line => line.GetString()));

        var text = await admin.GetStringAsync($"/api/insights/digest.md?workspace_id={workspace}&week={weekName}");
        Assert.Contains(@"AI summary: Imported &lt;b&gt;CSV&lt;/b&gt; with \[a link\]\(javascript:x\)", text);
        Assert.Contains("slow fixtures", text);
        Assert.DoesNotContain("other workspace problem", text);

        // The project health names its setbacks with the LLM's summary too; its score is the same as without one.
        var health = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/insights/health/{projects["alpha"]}?workspace_id={workspace}"));
        Assert.Equal("The deploy kept failing on docker", health.GetProperty("setbacks")[0].GetProperty("ai_summary").GetString());
        Assert.Equal(67, health.GetProperty("project").GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task Viewers_read_the_reports_outsiders_do_not_and_bad_arguments_are_422()
    {
        var (workspace, projects, other) = await SeedTwoWorkspacesAsync();
        using var viewer = await TeamPeople.CreateMemberAsync(App, workspace, "viewer");
        using var outsider = await TeamPeople.CreateMemberAsync(App, other, "admin");
        using var admin = App.CreateAdminClient();

        foreach (var path in new[] { "health", $"health/{projects["alpha"]}", "digest", "digest.md" })
        {
            using var allowed = await viewer.Http.GetAsync($"/api/insights/{path}?workspace_id={workspace}");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            using var hidden = await outsider.Http.GetAsync($"/api/insights/{path}?workspace_id={workspace}");
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        using var elsewhere = await admin.GetAsync($"/api/insights/health/{projects["other"]}?workspace_id={workspace}");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        foreach (var query in new[]
        {
            "health?days=6", "health?days=366", $"health/{projects["alpha"]}?days=0", "digest?week=2026-W54", "digest?week=last",
            "digest?week=2999-W01", "digest.md?week=2026-49", "digest.md?link_base=javascript:alert(1)", "digest.md?link_base=/relative",
        })
        {
            using var refused = await admin.GetAsync($"/api/insights/{query}&workspace_id={workspace}");
            Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, $"{query}: {(int)refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>The sessions above in a new workspace, and in another workspace one project whose wins must never show.</summary>
    private async Task<(Guid Workspace, Dictionary<string, Guid> Projects, Guid Other)> SeedTwoWorkspacesAsync()
    {
        var (_, weekStart) = InsightSeed.LastCompleteWeek();
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        var other = await CollectorClient.CreateWorkspaceAsync(App);
        var projects = await InsightSeed.SeedAsync(App, workspace, Sessions(weekStart));
        var others = await InsightSeed.SeedAsync(App, other,
        [
            new("Other workspace win", "other", "zed", weekStart.AddHours(12), 600, "success", Commits: 10, Files: 10, Languages: ["rust"]),
            new("Other workspace failure", "other", "ana", weekStart.AddHours(13), 5, "failed", Errors: 9, Unresolved: 9, Targets: ["Bash:docker"]),
        ]);
        projects["other"] = others["other"];
        return (workspace, projects, other);
    }

    private static (decimal, decimal, decimal) Values(JsonElement metric) =>
        (metric.GetProperty("value").GetDecimal(), metric.GetProperty("previous").GetDecimal(), metric.GetProperty("change").GetDecimal());

    private static List<string?> Titles(JsonElement digest, string section) =>
        digest.GetProperty(section).EnumerateArray().Select(s => s.GetProperty("title").GetString()).ToList();
}
