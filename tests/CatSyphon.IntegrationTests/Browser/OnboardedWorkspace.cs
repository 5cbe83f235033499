using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// What a new team does on a fresh server, through the web front end: create the first owner with the admin token
/// (and be signed in as them), create the first workspace, create an enrollment token, run the register command the page shows exactly as shown, and push a small
/// generated tree of sessions. Done once (the first test that needs it) and shared; the signed-in browser state is kept
/// for the other tests.
/// </summary>
/// <param name="SignedInState">Playwright storage state with the owner's session cookie.</param>
/// <param name="Conversations">Conversation ids by session id.</param>
/// <param name="OwnerEmail">The first owner's email; their password is <see cref="TeamPeople.Password"/>.</param>
public sealed record OnboardedWorkspace(string WebUrl, string SignedInState, Guid WorkspaceId, IReadOnlyDictionary<string, Guid> Conversations, string OwnerEmail)
{
    private static readonly Lock Gate = new();
    private static Task<OnboardedWorkspace>? onboarding;

    /// <summary>The onboarding, run by the first caller; a failed one fails every test that needs it, with the same error.</summary>
    public static Task<OnboardedWorkspace> GetAsync(CatSyphonApp app, BrowserFixture browser)
    {
        lock (Gate)
        {
            return onboarding ??= OnboardAsync(app, browser);
        }
    }

    public async Task<IPage> OpenAsync(BrowserFixture browser, string path, ViewportSize? viewport = null, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await browser.NewContextAsync(WebUrl, SignedInState, viewport, colorScheme);
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        return page;
    }

    private static async Task<OnboardedWorkspace> OnboardAsync(CatSyphonApp app, BrowserFixture browser)
    {
        var webUrl = app.BaseUrl(ResourceNames.Web);
        await using var context = await browser.NewContextAsync(webUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Create the first owner with the admin token" }).ClickAsync();
        var ownerEmail = $"owner-{Guid.NewGuid():N}@example.com";
        await page.GetByLabel("Admin token").FillAsync(app.AdminToken);
        await page.GetByLabel("Your email").FillAsync(ownerEmail);
        await page.GetByLabel("Your name").FillAsync("Olivia Owner");
        await page.GetByLabel("Password (at least 12 characters)").FillAsync(TeamPeople.Password);
        await BrowserFixture.ScreenshotAsync(page, "setup-first-owner");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create owner and sign in" }).ClickAsync();

        // A server without workspaces opens the first-run page.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to CatSyphon" })).ToBeVisibleAsync();
        await page.GetByLabel("Workspace name").FillAsync("Platform team");
        await Expect(page.GetByLabel("Short name (slug)")).ToHaveValueAsync("platform-team");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Register the first collector" })).ToBeVisibleAsync();
        var workspaceId = WorkspaceOf(page.Url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create enrollment token" }).ClickAsync();
        var register = (await page.GetByTestId("register-command").InnerTextAsync()).Trim();
        Assert.Equal("catsyphon watch", (await page.GetByTestId("watch-command").InnerTextAsync()).Trim());

        var apiUrl = app.BaseUrl(ResourceNames.Api);
        Assert.StartsWith($"catsyphon register --server {apiUrl} --workspace {workspaceId} --token ", register);
        var root = Directory.CreateTempSubdirectory("catsyphon-browser-");
        try
        {
            var home = Path.Combine(root.FullName, "home");
            await QueryDataset.RunCollectorAsync(home, register.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
            var tree = Path.Combine(root.FullName, "projects");
            SmallSessionTree.Write(tree, DateTimeOffset.UtcNow);
            await QueryDataset.RunCollectorAsync(home, "push", tree);

            // The page follows the collectors by itself.
            await Expect(page.GetByTestId("first-collector")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await BrowserFixture.ScreenshotAsync(page, "first-run-collector-registered");

            var scan = await QueryDataset.ScanAsync(home, tree);
            await QueryDataset.WaitUntilPersistedAsync(app, workspaceId, scan.GetProperty("events").GetInt64());
        }
        finally
        {
            root.Delete(recursive: true);
        }

        var state = await context.StorageStateAsync();
        return new OnboardedWorkspace(webUrl, state, workspaceId, await ConversationsAsync(app, workspaceId), ownerEmail);
    }

    /// <summary>Signs in on the sign-in page with a password, as a person does.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static Guid WorkspaceOf(string url) => Guid.Parse(new Uri(url).AbsolutePath.Split('/')[2]);

    private static async Task<Dictionary<string, Guid>> ConversationsAsync(CatSyphonApp app, Guid workspaceId)
    {
        using var admin = app.CreateAdminClient();
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={workspaceId}&limit=200");
        return page.GetProperty("items").EnumerateArray()
            .ToDictionary(c => c.GetProperty("session_id").GetString()!, c => c.GetProperty("id").GetGuid());
    }
}
