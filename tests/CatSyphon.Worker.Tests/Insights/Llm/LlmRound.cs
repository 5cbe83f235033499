using CatSyphon.Worker.Insights;
using CatSyphon.Worker.Insights.Llm;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatSyphon.Worker.Tests.Insights.Llm;

/// <summary>The worker's LLM job against the test server, with short timeouts and back-off so failures are quick to see.</summary>
internal sealed class LlmRound(WorkerStores stores, FakeLlmServer server) : IDisposable
{
    public LlmOptions Options { get; } = new()
    {
        ApiKey = "sk-test-not-a-real-key",
        BaseUrl = server.BaseUrl,
        Model = "gpt-test",
        RequestTimeout = TimeSpan.FromMilliseconds(500),
        MaxAttempts = 3,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        BatchSize = 10,
        MaxPromptCharacters = 4_000,
    };

    private LlmChat? chat;

    public Task<int> RunAsync()
    {
        chat ??= new LlmChat(Microsoft.Extensions.Options.Options.Create(Options));
        return new LlmInsightScheduler(
            new IngestionDatabase(stores.DataSource),
            chat,
            Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(new InsightOptions()),
            new TestMeterFactory(),
            NullLogger<LlmInsightScheduler>.Instance).RunRoundAsync(CancellationToken.None);
    }

    /// <summary>The LLM row of the conversation of <paramref name="session"/>, or null.</summary>
    public async Task<Dictionary<string, object?>?> ReadAsync(TestSession session) =>
        (await stores.RowsAsync(
            """
            SELECT l.* FROM session_llm_insights l JOIN conversations c ON c.id = l.conversation_id
            WHERE c.workspace_id = $1 AND c.session_id = $2
            """,
            session.WorkspaceId,
            session.SessionId)).SingleOrDefault();

    public void Dispose() => chat?.Dispose();
}
