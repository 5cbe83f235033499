using CatSyphon.Tests;
using CatSyphon.Worker.Insights;
using CatSyphon.Worker.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatSyphon.Worker.Tests.Insights;

/// <summary>Runs the worker's tagging round against the test PostgreSQL and reads back what it stored.</summary>
internal static class InsightRound
{
    public static Task<int> RunAsync(WorkerStores stores, TimeSpan? idleAfter = null) => new InsightScheduler(
        new IngestionDatabase(stores.DataSource),
        Options.Create(new InsightOptions { SessionsPerBatch = 5 }),
        Options.Create(new SessionActivityOptions { IdleAfter = idleAfter ?? TimeSpan.FromMinutes(30) }),
        new TestMeterFactory(),
        NullLogger<InsightScheduler>.Instance).RunRoundAsync(CancellationToken.None);

    /// <summary>The insight row of the session <paramref name="sessionId"/> of <paramref name="workspaceId"/>, or null.</summary>
    public static async Task<Dictionary<string, object?>?> ReadAsync(WorkerStores stores, Guid workspaceId, string sessionId) =>
        (await stores.RowsAsync(
            """
            SELECT i.* FROM session_insights i JOIN conversations c ON c.id = i.conversation_id
            WHERE c.workspace_id = $1 AND c.session_id = $2
            """,
            workspaceId,
            sessionId)).SingleOrDefault();
}
