using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// The Health and Digest pages over the sessions of <see cref="TeamInsightsTests"/>, seeded into a workspace of their own
/// that the onboarded owner opens: the projects by score with their parts and the formula, a project's page of parts and
/// setbacks, and a week's digest with a hostile title shown as text, its week picker and its Markdown download and copy.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TeamInsightsBrowserTests(RunningStackFixture stack, BrowserFixture browser)
{
    private const string HostileTitle = "<img src=x onerror=alert(1)> **Ship** [it](https://evil.example) @here";

    [Fact]
    public async Task The_health_page_ranks_projects_with_their_parts_and_opens_one_projects_parts()
    {
        var (owner, workspace, _, _) = await SeedAsync();
        var page = await owner.OpenAsync(browser, $"/w/{workspace}/health");

        var projects = page.GetByTestId("health-project");
        await Expect(projects).ToHaveCountAsync(2);
        await Expect(projects.First.GetByTestId("health-score")).ToHaveTextAsync(new Regex(@"^\d+ / 100$"));
        await Expect(projects.First.GetByTestId("health-part-trend").GetByTestId("health-part-score")).ToHaveTextAsync(new Regex(@"^\d+$"));
        await Expect(projects.Nth(1).GetByTestId("health-score")).ToHaveTextAsync("not enough data");
        await Expect(page.GetByTestId("health-formula")).ToContainTextAsync("Σ(part × weight)");
        await BrowserFixture.ScreenshotAsync(page, "project-health");

        await projects.First.GetByRole(AriaRole.Link, new() { Name = "alpha" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/w/{workspace}/health/[0-9a-f-]{{36}}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "alpha health" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("health-part-success_rate")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("insight-session").First).ToContainTextAsync("Deploy to prod");
        await BrowserFixture.ScreenshotAsync(page, "project-health-detail");
    }

    [Fact]
    public async Task The_digest_page_shows_a_weeks_sections_as_text_and_offers_its_markdown()
    {
        var (owner, workspace, week, start) = await SeedAsync();
        var page = await owner.OpenAsync(browser, $"/w/{workspace}/digest");
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Weekly digest {week}" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("digest-metric-sessions")).ToContainTextAsync("+4");
        var wins = page.GetByTestId("digest-wins");
        await Expect(wins.GetByTestId("insight-session").First).ToContainTextAsync(HostileTitle);
        await Expect(wins.Locator("img")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("digest-blockers")).ToContainTextAsync("Bash:docker (2)");
        await Expect(page.GetByTestId("digest-highlights")).ToContainTextAsync("New projects: tiny");
        await BrowserFixture.ScreenshotAsync(page, "weekly-digest");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download .md" }).ClickAsync());
        Assert.Equal($"catsyphon-digest-{week}.md", download.SuggestedFilename);
        var markdown = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith($"# Weekly digest {week}", markdown);
        Assert.Contains(@"&lt;img src=x onerror=alert\(1\)&gt; \*\*Ship\*\* \[it\]\(https:", markdown);
        Assert.Contains($"]({owner.WebUrl.TrimEnd('/')}/w/{workspace}/sessions/", markdown);

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy Markdown" }).ClickAsync();
        Assert.Equal(markdown, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        var previous = InsightSeed.WeekName(start.AddDays(-7));
        await page.GetByLabel("Week", new() { Exact = true }).FillAsync(previous);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Weekly digest {previous}" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("digest-metric-sessions").Locator("td").Nth(1)).ToHaveTextAsync("4");
    }

    /// <summary>The sessions of the API tests plus a winning session with a hostile title, in a new workspace of the onboarded organization.</summary>
    private async Task<(OnboardedWorkspace Owner, Guid Workspace, string Week, DateTimeOffset Start)> SeedAsync()
    {
        var owner = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        var (week, start) = InsightSeed.LastCompleteWeek();
        await InsightSeed.SeedAsync(stack.App, workspace,
            [.. TeamInsightsTests.Sessions(start), new(HostileTitle, "alpha", "ana", start.AddDays(6), 5, "success", Commits: 9, Files: 9)]);
        return (owner, workspace, week, start);
    }
}
