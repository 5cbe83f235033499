using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// The web front end in chromium against the whole stack: a team's first run, then finding, reading and measuring
/// the sessions it sent. Every test saves a screenshot in TestResults/screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WebFrontEndTests(RunningStackFixture stack, BrowserFixture browser)
{
    [Fact]
    public async Task A_new_team_signs_in_creates_a_workspace_and_its_collector_shows_up()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);

        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}/collectors");
        await Expect(page.GetByTestId("collector-table")).ToContainTextAsync("catsyphon");
        await Expect(page.GetByTestId("workspace-switcher")).ToContainTextAsync("Platform team");
        await BrowserFixture.ScreenshotAsync(page, "collectors");
    }

    [Fact]
    public async Task A_collector_key_is_rotated_shown_once_and_the_collector_revoked()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        using var collector = await CollectorClient.RegisterAsync(stack.App, workspace.WorkspaceId);
        using var admin = stack.App.CreateAdminClient();
        var hostname = (await QueryDatasetTest.GetJsonAsync(admin, $"/api/collectors?workspace_id={workspace.WorkspaceId}"))
            .EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == collector.CollectorId).GetProperty("hostname").GetString()!;
        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}/collectors");

        await page.GetByLabel($"Actions for {hostname}").Last.ClickAsync();
        await page.GetByText("Rotate key").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();
        var issued = page.GetByTestId("issued-key");
        await Expect(issued).ToContainTextAsync("cs_live_");
        Assert.DoesNotContain(collector.Key, await issued.InnerTextAsync());
        await BrowserFixture.ScreenshotAsync(page, "collector-key-rotated");

        await page.GetByLabel($"Actions for {hostname}").Last.ClickAsync();
        await page.GetByText("Revoke").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();
        await Poll.UntilAsync(async () => (await QueryDatasetTest.GetJsonAsync(admin, $"/api/collectors?workspace_id={workspace.WorkspaceId}"))
            .EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == collector.CollectorId).GetProperty("revoked_at").ValueKind == System.Text.Json.JsonValueKind.String,
            TimeSpan.FromSeconds(10), "the collector to be revoked");
    }

    [Fact]
    public async Task A_search_finds_the_session_with_the_match_highlighted_and_keeps_it_in_the_address()
    {
        var (_, page) = await OpenSearchAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"q={SmallSessionTree.SearchWord}"));
        var snippet = page.GetByTestId("snippet").First;
        await Expect(snippet.Locator("mark").First).ToHaveTextAsync(new Regex(SmallSessionTree.SearchWord, RegexOptions.IgnoreCase));
        await BrowserFixture.ScreenshotAsync(page, "sessions-search");

        await page.ReloadAsync();
        await Expect(page.GetByLabel("Search messages")).ToHaveValueAsync(SmallSessionTree.SearchWord);
        await Expect(page.GetByTestId("snippet").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_archive_nests_sub_agents_under_their_session()
    {
        var (_, page) = await OpenWorkspaceAsync("/sessions");

        await page.GetByRole(AriaRole.Button, new() { Name = "Show 1 sub-agent session" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.List, new() { Name = $"Sub-agent sessions of {SmallSessionTree.PlanSession}" }))
            .ToContainTextAsync(SmallSessionTree.SubAgentSession);
        await BrowserFixture.ScreenshotAsync(page, "sessions-sub-agents");
    }

    [Fact]
    public async Task A_session_shows_its_transcript_with_tool_calls_and_the_failing_one_marked()
    {
        var (workspace, page) = await OpenSearchAsync();
        await page.GetByTestId("snippet").First.WaitForAsync();

        await page.Locator(".session-link").First.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/sessions/{workspace.Conversations[SmallSessionTree.PlanSession]}$"));
        await Expect(page.GetByText("tokenizer", new() { Exact = true }).First).ToBeVisibleAsync();
        var bash = page.Locator("[data-testid=tool-call][data-tool=Bash]");
        await Expect(bash).ToContainTextAsync("pytest -q tests/test_words.py");
        await Expect(bash.GetByTestId("tool-error")).ToHaveTextAsync("failed");
        await Expect(bash).ToContainTextAsync("1 failed, 1 passed");
        await Expect(page.Locator("[data-testid=tool-call][data-tool=Edit]")).ToContainTextAsync("words.py");
        var thinking = page.GetByTestId("thinking").First;
        await Expect(thinking).Not.ToHaveAttributeAsync("open", "");
        await BrowserFixture.ScreenshotAsync(page, "session-transcript");
    }

    [Fact]
    public async Task A_ten_thousand_message_session_renders_only_what_is_on_screen_and_pages_on()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var sessionId = $"long-{Guid.NewGuid():N}";
        using (var collector = await CollectorClient.RegisterAsync(stack.App, workspace.WorkspaceId))
        {
            for (var from = 1; from <= 10_000; from += 50)
            {
                await collector.SendAcceptedAsync(sessionId, CollectorClient.Messages(from, 50, sequenced: true));
            }

            Assert.Equal(10_000, (await collector.WaitForPersistedAsync(sessionId, 10_000, TimeSpan.FromSeconds(120))).GetProperty("persisted_sequence").GetInt64());
        }

        using var admin = stack.App.CreateAdminClient();
        var listed = await QueryDatasetTest.GetJsonAsync(admin, $"/api/conversations?workspace_id={workspace.WorkspaceId}&limit=200");
        var conversation = listed.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("session_id").GetString() == sessionId).GetProperty("id").GetGuid();

        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}/sessions/{conversation}");
        var transcript = page.GetByTestId("transcript");
        await Expect(transcript).ToContainTextAsync("hello 1");
        // 500 entries are loaded; only the window on screen (plus overscan) is in the page.
        Assert.InRange(await transcript.Locator("article").CountAsync(), 1, 250);

        // The next page comes on request and the list still renders only a window of it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Load 500 more" }).ClickAsync();
        await Expect(page.GetByText("1,000 events shown.")).ToBeVisibleAsync();
        await Poll.UntilAsync(async () =>
        {
            // The transcript scrolls in its own box; at its end the last loaded entry is on screen.
            await transcript.EvaluateAsync("box => box.scrollTop = box.scrollHeight");
            return (await transcript.InnerTextAsync()).Contains("hello 1000", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "entry 1,000 on screen");
        Assert.InRange(await transcript.Locator("article").CountAsync(), 1, 250);
        await BrowserFixture.ScreenshotAsync(page, "session-10000-messages");
    }

    [Fact]
    public async Task A_plan_shows_its_two_versions_side_by_side()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}/sessions/{workspace.Conversations[SmallSessionTree.PlanSession]}");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Plans (1)" }).ClickAsync();

        await Expect(page.GetByTestId("plan-diff-summary")).ToContainTextAsync("Version 1 → 2");
        var diff = page.GetByTestId("plan-diff");
        await Expect(diff.Locator("tr[data-change=unchanged]").First).ToContainTextAsync("1. Change the word regex");
        await Expect(diff.Locator("tbody tr:not([data-change=unchanged])").First).ToContainTextAsync("apostrophes");
        await BrowserFixture.ScreenshotAsync(page, "session-plan-diff");
    }

    [Fact]
    public async Task The_dashboard_counts_the_sessions_tokens_and_tools_of_the_range()
    {
        var (_, page) = await OpenWorkspaceAsync();

        await Expect(page.GetByTestId("metric-sessions")).ToHaveTextAsync("4");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Tool calls by tool" })).ToContainTextAsync("Bash");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Sessions by project" })).ToContainTextAsync("gateway");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Tokens by model" })).ToContainTextAsync("claude-opus-4-1-20250805");
        await BrowserFixture.ScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task An_open_dashboard_shows_new_sessions_without_a_reload()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        // A workspace of its own, so the other tests' numbers stay as they are.
        var quiet = await CollectorClient.CreateWorkspaceAsync(stack.App);
        var page = await workspace.OpenAsync(browser, $"/w/{quiet}");
        await Expect(page.GetByTestId("metric-sessions")).ToHaveTextAsync("0");

        var root = Directory.CreateTempSubdirectory("catsyphon-live-");
        try
        {
            var home = Path.Combine(root.FullName, "home");
            var server = stack.App.BaseUrl(ResourceNames.Api);
            await QueryDataset.RunCollectorAsync(home, "register", "--server", server, "--workspace", quiet.ToString(), "--token", stack.App.AdminToken);
            var project = Directory.CreateDirectory(Path.Combine(root.FullName, "projects", "-home-dev-live"));
            var lines = new ClaudeLines("a7a7a7a7-0000-4000-8000-00000000000a", "/home/dev/live");
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
            File.WriteAllLines(Path.Combine(project.FullName, "a7a7a7a7-0000-4000-8000-00000000000a.jsonl"),
            [
                lines.User("u1", now, "Is anyone watching?"),
                lines.Assistant("a1", now, "msg_l1", "claude-sonnet-4-5-20250929", """[{"type":"text","text":"The dashboard is."}]""", input: 10, output: 5),
            ]);
            await QueryDataset.RunCollectorAsync(home, "push", Path.Combine(root.FullName, "projects"));
        }
        finally
        {
            root.Delete(recursive: true);
        }

        await Expect(page.GetByTestId("metric-sessions")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("metric-messages")).ToHaveTextAsync("2");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-live");
    }

    [Fact]
    public async Task The_ingestion_page_lists_the_accepted_batches()
    {
        var (_, page) = await OpenWorkspaceAsync("/ingestion");

        await Expect(page.GetByTestId("ingestion-jobs")).ToContainTextAsync("accepted");
        await Expect(page.GetByText("No dead letters")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "ingestion");
    }

    [Fact]
    public async Task A_project_page_shows_its_files_tools_and_developers()
    {
        var (_, page) = await OpenWorkspaceAsync("/projects");

        await page.GetByRole(AriaRole.Link, new() { Name = "tokenizer", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "tokenizer" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("metric-sessions")).ToHaveTextAsync("3");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Files by lines changed" })).ToContainTextAsync("CHANGELOG.md");
        await BrowserFixture.ScreenshotAsync(page, "project");
    }

    [Fact]
    public async Task On_a_phone_in_dark_mode_the_sessions_page_stays_readable()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}/sessions",
            new ViewportSize { Width = 390, Height = 844 }, ColorScheme.Dark);

        await Expect(page.Locator(".session-link").First).ToBeVisibleAsync();
        var pageWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 390, $"the page is {pageWidth}px wide on a 390px screen");
        await BrowserFixture.ScreenshotAsync(page, "sessions-phone-dark");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_signing_out_ends_the_session_and_every_copy_of_its_cookie()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        await using var fresh = await browser.NewContextAsync(workspace.WebUrl);
        var page = await fresh.NewPageAsync();
        await OnboardedWorkspace.SignInAsync(page, workspace.OwnerEmail, "not the password, surely");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The email or password is wrong, or the account is disabled.");
        await BrowserFixture.ScreenshotAsync(page, "sign-in-refused");

        await OnboardedWorkspace.SignInAsync(page, workspace.OwnerEmail, TeamPeople.Password);
        await Expect(page.GetByTestId("person-menu")).ToContainTextAsync("Olivia Owner");
        var cookie = Assert.Single(await fresh.CookiesAsync(), c => c.Name == "catsyphon.session");
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Value.Length < 400, "the cookie holds a session key, not the session");

        // The same cookie in another browser, as if copied.
        await using var copy = await browser.NewContextAsync(workspace.WebUrl, await fresh.StorageStateAsync());
        var copied = await copy.NewPageAsync();
        await copied.GotoAsync($"/w/{workspace.WorkspaceId}");
        await Expect(copied.GetByTestId("person-menu")).ToBeVisibleAsync();

        await page.GotoAsync($"/w/{workspace.WorkspaceId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
        await page.GotoAsync($"/w/{workspace.WorkspaceId}");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
        await copied.GotoAsync($"/w/{workspace.WorkspaceId}");
        await Expect(copied).ToHaveURLAsync(new Regex("/sign-in"));
    }

    /// <summary>The onboarded workspace, and a signed-in page open at <c>/w/{id}</c> followed by <paramref name="section"/>.</summary>
    private async Task<(OnboardedWorkspace Workspace, IPage Page)> OpenWorkspaceAsync(string section = "")
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        return (workspace, await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}{section}"));
    }

    /// <summary>The workspace's archive once it lists its sessions, searched for <see cref="SmallSessionTree.SearchWord"/>.</summary>
    private async Task<(OnboardedWorkspace Workspace, IPage Page)> OpenSearchAsync()
    {
        var (workspace, page) = await OpenWorkspaceAsync("/sessions");
        await page.Locator(".session-link").First.WaitForAsync();
        await page.GetByLabel("Search messages").FillAsync(SmallSessionTree.SearchWord);
        await page.GetByLabel("Search messages").PressAsync("Enter");
        return (workspace, page);
    }
}
