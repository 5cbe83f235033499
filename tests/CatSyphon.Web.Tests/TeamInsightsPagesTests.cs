using CatSyphon.Web.Components.Pages;
using MudBlazor;

namespace CatSyphon.Web.Tests;

/// <summary>The Health and Digest pages from the API's answers: scores and parts, a digest's sections, hostile titles as text, its Markdown.</summary>
public sealed class TeamInsightsPagesTests : WebComponentTest
{
    private const string Hostile = "<img src=x onerror=alert(1)> **Ship it**";

    [Fact]
    public void The_health_page_shows_each_project_with_its_score_parts_and_the_formula()
    {
        HealthPart[] parts =
        [
            new("success_rate", "Success rate", 70, 0.35, 0.5, "6 success and 2 partial of 10 decided outcomes", new Dictionary<string, double> { ["decided"] = 10 }),
            new("trend", "Trend", null, 0.10, 0, "not enough data: 0 decided outcomes in the period before", new Dictionary<string, double>()),
        ];
        var report = new HealthReport(Workspace, 30, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(30), 5, "score = Σ(part × weight)",
        [
            new ProjectHealth(Guid.NewGuid(), Hostile, 12, 10, 72, null, parts),
            new ProjectHealth(Guid.NewGuid(), "tiny", 2, 2, null, "not enough data: 2 tagged sessions in the period, 5 needed", parts),
        ]);
        Answer = call => call.StartsWith("GET /api/insights/health?", StringComparison.Ordinal) ? report : null;
        Render<MudPopoverProvider>(); // the period picker's list opens in it

        var page = Render<Health>(parameters => parameters.Add(p => p.WorkspaceId, Workspace));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=health-project]").Count));
        Assert.Contains($"GET /api/insights/health?workspace_id={Workspace}&days=30", Requests);
        Assert.Equal(["72 / 100", "not enough data"], page.FindAll("[data-testid=health-score]").Select(s => s.TextContent.Trim()));
        Assert.Equal("70", page.Find("[data-testid=health-part-success_rate] [data-testid=health-part-score]").TextContent);
        Assert.Contains("35% → 50%", page.Find("[data-testid=health-part-success_rate]").TextContent);
        Assert.Contains("No score: not enough data", page.Markup);
        Assert.Contains("Σ(part × weight)", page.Find("[data-testid=health-formula]").TextContent);
        Assert.Empty(page.FindAll("img"));
        Assert.Contains(Hostile, page.FindAll("[data-testid=health-project] a")[0].TextContent);
    }

    [Fact]
    public void The_digest_page_shows_the_sections_and_offers_the_markdown_of_the_same_week()
    {
        var win = new DigestSession(Guid.NewGuid(), Hostile, "alpha", "ana", SessionOutcome.Success, 3, 5, 0, null, 90, "/ignored", AiSummary: "AI says " + Hostile);
        var digest = new WeeklyDigest(Workspace, "2026-W48", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(7), "2026-W47",
            [new DigestMetric("sessions", "Sessions", 7, 4, 3)], [win], [], [new DigestCount("Bash:docker", 2)],
            new DigestHighlights(win, new DigestCount("alpha", 6), ["tiny"], ["cy"], [new DigestCount("python", 3)]),
            [new DigestSection("Narrative", ["A calm week."])]);
        Answer = call => call.StartsWith("GET /api/insights/digest.md?", StringComparison.Ordinal) ? "# Weekly digest 2026-W48"
            : call.StartsWith("GET /api/insights/digest?", StringComparison.Ordinal) ? digest : null;

        var page = Render<Digest>(parameters => parameters.Add(p => p.WorkspaceId, Workspace));

        page.WaitForAssertion(() => Assert.Contains("Weekly digest 2026-W48", page.Find("h1").TextContent));
        Assert.Contains(Requests, r => r.StartsWith($"GET /api/insights/digest.md?workspace_id={Workspace}&week=2026-W48&link_base=", StringComparison.Ordinal));
        Assert.Equal(["Sessions", "7", "4", "+3"], page.FindAll("[data-testid=digest-metric-sessions] td").Select(td => td.TextContent));
        var link = page.Find("[data-testid=digest-wins] a");
        Assert.Equal(Hostile, link.TextContent);
        Assert.Equal("AI summary: AI says " + Hostile, page.Find("[data-testid=insight-ai-summary]").TextContent);
        Assert.Equal($"/w/{Workspace}/sessions/{win.ConversationId}", link.GetAttribute("href"));
        Assert.Empty(page.FindAll("img"));
        Assert.Contains("Bash:docker (2)", page.Find("[data-testid=digest-blockers]").TextContent);
        Assert.Contains("New developers: cy", page.Find("[data-testid=digest-highlights]").TextContent);
        Assert.Contains("A calm week.", page.Markup);
        var download = page.Find("a[download]");
        Assert.Equal("catsyphon-digest-2026-W48.md", download.GetAttribute("download"));
        Assert.StartsWith("data:text/markdown;charset=utf-8,", download.GetAttribute("href"));
        Assert.Contains("%23%20Weekly%20digest%202026-W48", download.GetAttribute("href"));
    }
}
