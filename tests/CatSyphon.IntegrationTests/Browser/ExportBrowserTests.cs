using Microsoft.Playwright;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// Export downloads from the web front end: the browser has only its session cookie, and the web passes the API's
/// archive on as the signed-in person's.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ExportBrowserTests(RunningStackFixture stack, BrowserFixture browser)
{
    [Fact]
    public async Task The_owner_downloads_their_own_data_and_after_confirming_the_workspace_s_archive()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);

        var page = await workspace.OpenAsync(browser, "/me/tokens");
        using (var mine = await DownloadAsync(page, () => page.GetByTestId("export-mine").ClickAsync()))
        {
            Assert.Equal("person", mine.Manifest.GetProperty("scope").GetString());
            // The owner registered the workspace's first collector on its get-started page: its sessions are theirs.
            Assert.True(mine.CountMatchingManifest("sessions.jsonl") > 0);
        }

        await page.GotoAsync($"/w/{workspace.WorkspaceId}/settings");
        await page.GetByTestId("export-workspace").ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "export-workspace-confirm");
        using var whole = await DownloadAsync(page,
            () => page.GetByRole(AriaRole.Link, new() { Name = "Download the workspace's archive" }).ClickAsync());
        Assert.Equal(workspace.WorkspaceId, whole.Manifest.GetProperty("workspace").GetProperty("id").GetGuid());
        Assert.True(whole.CountMatchingManifest("sessions.jsonl") >= workspace.Conversations.Count);
        Assert.True(whole.CountMatchingManifest("messages.jsonl") > 0);
    }

    private static async Task<ExportArchiveFile> DownloadAsync(IPage page, Func<Task> click)
    {
        var download = await page.RunAndWaitForDownloadAsync(click);
        Assert.Null(await download.FailureAsync());
        Assert.EndsWith(".zip", download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), $"catsyphon-browser-export-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(path);
        return ExportArchiveFile.Open(path);
    }
}
