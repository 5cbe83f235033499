using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// The owner sets a retention on the settings page, erases a session from its page, a developer's sessions and then the
/// whole workspace's from the settings page (confirmed by typing its slug), and follows each job on the data jobs page.
/// A workspace of its own, so the onboarded one keeps its sessions for the other browser tests.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DataLifecycleBrowserTests(RunningStackFixture stack, BrowserFixture browser)
{
    [Fact]
    public async Task The_owner_sets_a_retention_and_erases_a_session_a_developer_and_the_workspace_following_the_jobs()
    {
        var onboarded = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var collector = await CollectorClient.RegisterAsync(stack.App, workspace);
        var yesterday = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
        await DataLifecycleStack.SendSessionAsync(collector, "erase-from-page", yesterday, developer: "dev-x");
        await DataLifecycleStack.SendSessionAsync(collector, "of-dev-y", yesterday, developer: "dev-y");
        await DataLifecycleStack.SendSessionAsync(collector, "the-last-one", yesterday, developer: "dev-x");
        using var admin = stack.App.CreateAdminClient();
        var workspaceView = await admin.GetFromJsonAsync<JsonElement>($"/api/workspaces/{workspace}");
        var conversations = await admin.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={workspace}");
        var conversation = conversations.GetProperty("items").EnumerateArray()
            .Single(c => c.GetProperty("session_id").GetString() == "erase-from-page").GetProperty("id").GetGuid();

        var page = await onboarded.OpenAsync(browser, $"/w/{workspace}/settings");
        await Expect(page.GetByLabel("Current retention")).ToContainTextAsync("kept forever");
        await page.GetByLabel("Keep forever").ClickAsync();
        await page.GetByLabel("Days (1 to 3650)").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save retention" }).ClickAsync();
        await Expect(page.GetByLabel("Current retention")).ToContainTextAsync("kept 30 days");
        await BrowserFixture.ScreenshotAsync(page, "workspace-settings");

        await page.GotoAsync($"/w/{workspace}/sessions/{conversation}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase this session" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alertdialog)).ToContainTextAsync("cannot be undone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/w/{workspace}/data-jobs");
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Erase session erase-from-page");
        await Expect(page.Locator(".data-job-status").First).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, "data-jobs");

        await page.GotoAsync($"/w/{workspace}/settings");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase sessions of dev-y" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/w/{workspace}/data-jobs");
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Erase a developer's sessions");
        await Expect(page.Locator(".data-job-status").First).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });

        await page.GotoAsync($"/w/{workspace}/settings");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase every session" }).ClickAsync();
        var erase = page.GetByRole(AriaRole.Button, new() { Name = "Erase", Exact = true });
        await Expect(erase).ToBeDisabledAsync();
        await page.GetByLabel($"Type {workspaceView.GetProperty("slug").GetString()} to confirm").FillAsync(workspaceView.GetProperty("slug").GetString()!);
        await erase.ClickAsync();
        await page.WaitForURLAsync($"**/w/{workspace}/data-jobs");
        await Expect(page.Locator(".data-job-status").First).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Erase every session");
        await BrowserFixture.ScreenshotAsync(page, "data-jobs-erased");

        Assert.Empty((await DataLifecycleStack.StoredAsync(stack.App, workspace)).Sessions);
    }
}
