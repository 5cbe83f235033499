using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// People in the web front end: the owner's People, Members, My tokens and Audit pages, and what a viewer and a member
/// of one workspace see (their workspace only, and no button their role cannot use).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PeopleBrowserTests(RunningStackFixture stack, BrowserFixture browser)
{
    [Fact]
    public async Task The_owner_adds_a_person_makes_them_a_member_creates_a_token_and_reads_the_audit_log()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var email = $"pat-{Guid.NewGuid():N}@example.com";

        var page = await workspace.OpenAsync(browser, "/people");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Name").First.FillAsync("Pat Person");
        await page.GetByLabel("Password (optional)").FillAsync(TeamPeople.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync(email);
        await BrowserFixture.ScreenshotAsync(page, "people");

        await page.GotoAsync($"/w/{workspace.WorkspaceId}/members");
        await page.GetByLabel("Email of a person of the organization").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Pat Person");
        await BrowserFixture.ScreenshotAsync(page, "members");

        await page.GotoAsync("/me/tokens");
        await page.GetByLabel("Token name").FillAsync("release script");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Expect(page.GetByTestId("created-token")).ToContainTextAsync("cs_pat_");
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("release script");
        await BrowserFixture.ScreenshotAsync(page, "my-tokens");

        // The owner registered the first collector from the get-started page, so its sessions are theirs.
        await page.GotoAsync($"/w/{workspace.WorkspaceId}/sessions?mine=true");
        await Expect(page.Locator(".session-link").First).ToBeVisibleAsync();

        await page.GotoAsync("/audit");
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("member.role_set");
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("token.created");
        await BrowserFixture.ScreenshotAsync(page, "audit");
    }

    [Fact]
    public async Task A_viewer_reads_their_workspace_without_any_button_their_role_cannot_use()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        using var viewer = await TeamPeople.CreateMemberAsync(stack.App, workspace.WorkspaceId, "viewer");
        await using var context = await browser.NewContextAsync(workspace.WebUrl);
        var page = await context.NewPageAsync();
        await OnboardedWorkspace.SignInAsync(page, viewer.Email, viewer.Password);
        await Expect(page.GetByTestId("person-menu")).ToBeVisibleAsync();

        await page.GotoAsync($"/w/{workspace.WorkspaceId}/collectors");
        await Expect(page.GetByTestId("collector-table")).ToContainTextAsync("catsyphon");
        await Expect(page.GetByLabel(new Regex("^Actions for"))).ToHaveCountAsync(0);
        await Expect(page.GetByText("Add a collector")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "New workspace" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "viewer-collectors");

        await page.GotoAsync($"/w/{workspace.WorkspaceId}/sessions?mine=true");
        await Expect(page.GetByText("No session matches")).ToBeVisibleAsync();

        await page.GotoAsync($"/w/{workspace.WorkspaceId}/members");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add member" })).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("export-workspace")).ToHaveCountAsync(0);
        await page.GetByTestId("person-menu").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "My tokens" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "People" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "viewer-members");
    }

    [Fact]
    public async Task A_member_of_one_workspace_sees_only_it_and_another_team_s_is_not_found()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var ownTeam = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var member = await TeamPeople.CreateMemberAsync(stack.App, ownTeam, "member");
        await using var context = await browser.NewContextAsync(workspace.WebUrl);
        var page = await context.NewPageAsync();
        await OnboardedWorkspace.SignInAsync(page, member.Email, member.Password);

        await page.GotoAsync($"/w/{ownTeam}/sessions");
        await page.GetByTestId("workspace-switcher").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Menuitem)).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "member-one-workspace");

        await page.GotoAsync($"/w/{workspace.WorkspaceId}/sessions");
        await Expect(page.GetByTestId("error")).ToContainTextAsync("Not found");
        await BrowserFixture.ScreenshotAsync(page, "member-other-workspace");
    }

    [Fact]
    public async Task Sessions_and_their_keys_live_in_redis_so_a_restarted_web_front_end_keeps_people_signed_in()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        await stack.App.RestartResourceAsync(ResourceNames.Web);

        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}/sessions");
        // A restarted process renders its first page cold (JIT, the circuit, the first API calls): more than the default 5 s on a busy machine.
        await Expect(page.GetByTestId("person-menu")).ToContainTextAsync("Olivia Owner", new() { Timeout = 30_000 });

        await using var redis = await ConnectionMultiplexer.ConnectAsync(await stack.App.GetConnectionStringAsync(ResourceNames.Redis));
        var keyRing = await redis.GetDatabase().ListRangeAsync("catsyphon:web:data-protection-keys");
        Assert.NotEmpty(keyRing);
        Assert.All(keyRing, key => Assert.Contains("<key ", key.ToString()));
    }
}
