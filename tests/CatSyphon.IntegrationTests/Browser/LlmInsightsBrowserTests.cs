using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// A session's AI insights on its Tags tab (stored in the database: the shared stack has no LLM key), shown as plain
/// text however hostile; and Settings saying the LLM is not configured, with this month's use against the budget.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LlmInsightsBrowserTests(RunningStackFixture stack, BrowserFixture browser)
{
    private const string HostileSummary = "The fix landed. <img src=x onerror=\"window.llmInjected=1\"> <script>window.llmInjected=1</script>";

    [Fact]
    public async Task A_session_shows_its_ai_insights_as_plain_text_and_settings_show_the_llm_status()
    {
        var workspace = await OnboardedWorkspace.GetAsync(stack.App, browser);
        var conversation = workspace.Conversations[SmallSessionTree.GatewaySession];
        await using (var connection = new NpgsqlConnection(await stack.App.GetConnectionStringAsync(ResourceNames.Database)))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO session_llm_insights (conversation_id, workspace_id, event_count, prompt_version, model, sentiment, summary, problems, features,
                                                  learning_opportunities, input_tokens, output_tokens, computed_at, attempts)
                SELECT id, workspace_id, event_count, 1, 'gpt-test', 'positive', $2, '{"a flaky test"}', '{"retry on timeouts"}', '{"write the test first"}', 900, 80, now(), 0
                FROM conversations WHERE id = $1
                ON CONFLICT (conversation_id) DO NOTHING
                """,
                connection) { Parameters = { new() { Value = conversation }, new() { Value = HostileSummary } } };
            await insert.ExecuteNonQueryAsync();
        }

        var page = await workspace.OpenAsync(browser, $"/w/{workspace.WorkspaceId}/sessions/{conversation}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Tags" }).ClickAsync();
        var insights = page.GetByTestId("session-llm-insights");
        await Expect(insights.GetByTestId("llm-summary")).ToHaveTextAsync(HostileSummary);
        await Expect(insights.GetByTestId("llm-sentiment")).ToHaveTextAsync("positive");
        await Expect(insights.GetByTestId("llm-problems")).ToContainTextAsync("a flaky test");
        await Expect(insights.GetByTestId("llm-learning-opportunities")).ToContainTextAsync("write the test first");
        Assert.Equal(0, await insights.Locator("img, script").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.llmInjected"));
        await BrowserFixture.ScreenshotAsync(page, "session-ai-insights");

        await page.GotoAsync($"/w/{workspace.WorkspaceId}/settings");
        var panel = page.GetByTestId("llm-usage-panel");
        await Expect(panel.GetByTestId("llm-status")).ToContainTextAsync("Not configured");
        await Expect(panel.GetByTestId("llm-usage")).ToContainTextAsync("2M tokens (the server's default)");
        await BrowserFixture.ScreenshotAsync(page, "settings-llm-status");
    }
}
