using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// The worker's tags reach every page that shows them: the dashboard's outcome and intent bars, which lead to the archive
/// filtered by that tag (its badges all say so), and a session's Tags tab with the evidence behind them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionTagsBrowserTests(RunningStackFixture stack, BrowserFixture browser)
{
    /// <summary>The onboarded sessions are days old, so the worker tags them within a few of its one-second rounds; the dashboard refreshes every 10 s.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions TaggedSoon = new() { Timeout = 30_000 };

    [Fact]
    public async Task The_dashboard_counts_outcomes_and_leads_to_the_archive_filtered_by_one_and_a_session_shows_its_evidence()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}");

        var outcomes = page.GetByRole(AriaRole.List, new() { Name = "Sessions by tagged outcome" });
        var firstOutcome = outcomes.GetByRole(AriaRole.Link).First;
        await Expect(firstOutcome).ToBeVisibleAsync(TaggedSoon);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Sessions by tagged intent" }).GetByRole(AriaRole.Link).First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "dashboard-outcomes");

        var outcome = (await firstOutcome.InnerTextAsync()).Trim();
        await firstOutcome.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/w/{workspace.WorkspaceId}/sessions\\?outcome="));
        var badges = page.GetByTestId("session-table").GetByTestId("outcome-badge");
        await Expect(badges.First).ToBeVisibleAsync();
        foreach (var badge in await badges.AllAsync())
        {
            await Expect(badge).ToHaveTextAsync(outcome);
        }

        await BrowserFixture.ScreenshotAsync(page, "sessions-filtered-by-outcome");
        await page.GetByTestId("session-table").GetByRole(AriaRole.Link).First.ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Tags" }).ClickAsync();

        var panel = page.GetByTestId("session-tags-panel");
        await Expect(panel.GetByTestId("outcome-badge")).ToHaveTextAsync(outcome);
        await Expect(panel.GetByTestId("tag-evidence").Locator("tbody tr").First).ToBeVisibleAsync();
        await Expect(panel.GetByTestId("tag-evidence")).ToContainTextAsync("outcome");
        await BrowserFixture.ScreenshotAsync(page, "session-tag-evidence");

        // An evidence event opens the transcript at that event, marked, with the way back to the start. The session that
        // edits a file and runs its tests has evidence that points at events.
        await page.GotoAsync($"/w/{workspace.WorkspaceId}/sessions/{workspace.Conversations[SmallSessionTree.PlanSession]}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Tags" }).ClickAsync();
        var eventLink = page.GetByTestId("session-tags-panel").GetByTestId("evidence-event").First;
        await Expect(eventLink).ToBeVisibleAsync(TaggedSoon);
        var sequence = (await eventLink.InnerTextAsync()).Trim().TrimStart('#');
        await eventLink.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"\\?event={sequence}$"));
        await Expect(page.GetByTestId("transcript-from")).ToContainTextAsync($"From event #{sequence}");
        var target = page.Locator("[data-testid=transcript-entry][aria-current=true]");
        await Expect(target).ToContainTextAsync($"#{sequence} ·");
        await Expect(page.GetByTestId("transcript-entry").First).ToContainTextAsync($"#{sequence} ·");
        await BrowserFixture.ScreenshotAsync(page, "session-evidence-event");
    }
}
