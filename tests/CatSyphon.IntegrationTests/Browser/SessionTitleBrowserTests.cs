using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>Sessions go by their titles: the archive lists them with their ids beside, and a session's tab is its title.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionTitleBrowserTests(RunningStackFixture stack, BrowserFixture browser)
{
    private static readonly string PlanTitle = $"Make the tokenizer keep {SmallSessionTree.SearchWord} inside words";

    [Fact]
    public async Task The_archive_lists_sessions_by_title_and_a_session_page_tab_is_its_title()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}/sessions");

        var table = page.GetByTestId("session-table");
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = PlanTitle, Exact = true })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = "Add a changelog entry for the release", Exact = true })).ToBeVisibleAsync();
        await Expect(table.GetByTestId("session-id").GetByText(SmallSessionTree.PlanSession, new() { Exact = true })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "sessions-titles");

        await table.GetByRole(AriaRole.Link, new() { Name = PlanTitle, Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/sessions/{workspace.Conversations[SmallSessionTree.PlanSession]}$"));
        await Expect(page).ToHaveTitleAsync($"{PlanTitle} · CatSyphon");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = PlanTitle, Level = 1 })).ToBeVisibleAsync();
    }
}
