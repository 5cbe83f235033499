using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>The redaction page: an admin adds a workspace pattern and sees it redact in the preview; a viewer only tries it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RedactionBrowserTests(RunningStackFixture stack, BrowserFixture browser)
{
    [Fact]
    public async Task An_admin_adds_a_pattern_and_the_preview_redacts_it_beside_a_built_in_kind()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}/redaction");

        await page.GetByLabel("Pattern", new() { Exact = true }).FillAsync("PRJ-[0-9]{4}");
        await page.GetByLabel("Label (the marker's kind)").FillAsync("project-code");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("project-code");

        await page.GetByLabel("Text to redact (nothing is stored)").FillAsync("code PRJ-1234 and key AKIAIOSFODNN7EXAMPLE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Redact", Exact = true }).ClickAsync();
        await Expect(page.Locator("pre.redaction-preview")).ToHaveTextAsync("code [REDACTED:project-code] and key [REDACTED:aws-access-key]");
        await BrowserFixture.ScreenshotAsync(page, "redaction");

        using var viewer = await TeamPeople.CreateMemberAsync(stack.App, workspace.WorkspaceId, "viewer");
        await using var context = await browser.NewContextAsync(workspace.WebUrl);
        var viewerPage = await context.NewPageAsync();
        await OnboardedWorkspace.SignInAsync(viewerPage, viewer.Email, viewer.Password);
        await Expect(viewerPage.GetByTestId("person-menu")).ToBeVisibleAsync();
        await viewerPage.GotoAsync($"/w/{workspace.WorkspaceId}/redaction");
        await Expect(viewerPage.GetByRole(AriaRole.Button, new() { Name = "Add rule" })).ToHaveCountAsync(0);
        await viewerPage.GetByLabel("Text to redact (nothing is stored)").FillAsync("ticket PRJ-9876");
        await viewerPage.GetByRole(AriaRole.Button, new() { Name = "Redact", Exact = true }).ClickAsync();
        await Expect(viewerPage.Locator("pre.redaction-preview")).ToHaveTextAsync("ticket [REDACTED:project-code]");
    }
}
