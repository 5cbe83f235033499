namespace CatSyphon.Web.Api;

public sealed record IngestionJob(
    Guid Id, Guid? CollectorId, string SessionId, Guid? ConversationId, string Source, int ReceivedEvents, int Accepted,
    int Duplicates, string Outcome, int? HttpStatus, string? Error, DateTimeOffset StartedAt, double? DurationMs);

public sealed record IngestionJobPage(List<IngestionJob> Items, string? NextCursor);

public sealed record IngestionStats(
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Batches, long AcceptedBatches, long RefusedBatches,
    double SuccessRate, double FailureRate, long EventsAccepted, long Duplicates, double EventsPerSecond, long StreamLag, long DeadLetters);

public sealed record DeadLetter(string Id, string Source, string Error, Guid? WorkspaceId, string? SessionId, int Events);

/// <summary>/api/ingestion: jobs, rates, lag and dead letters.</summary>
public static class IngestionApi
{
    public static Task<IngestionJobPage> ListIngestionJobsAsync(
        this CatSyphonApi api, Guid workspaceId, string? outcome, string? cursor, int limit, CancellationToken cancellationToken = default) =>
        api.GetAsync<IngestionJobPage>("/api/ingestion/jobs" + new ApiQuery()
            .Add("workspace_id", workspaceId).Add("outcome", outcome).Add("cursor", cursor).Add("limit", limit), cancellationToken);

    public static Task<IngestionStats> GetIngestionStatsAsync(this CatSyphonApi api, Guid workspaceId, int windowMinutes, CancellationToken cancellationToken = default) =>
        api.GetAsync<IngestionStats>("/api/ingestion/stats" + new ApiQuery().Add("workspace_id", workspaceId).Add("window_minutes", windowMinutes), cancellationToken);

    public static Task<List<DeadLetter>> ListDeadLettersAsync(this CatSyphonApi api, Guid workspaceId, CancellationToken cancellationToken = default) =>
        api.GetAsync<List<DeadLetter>>("/api/ingestion/dead-letters" + new ApiQuery().Add("workspace_id", workspaceId).Add("limit", 200), cancellationToken);

    public static Task<DeadLetter> ReplayDeadLetterAsync(this CatSyphonApi api, Guid workspaceId, string id, CancellationToken cancellationToken = default) =>
        api.PostAsync<DeadLetter>($"/api/ingestion/dead-letters/{Uri.EscapeDataString(id)}/replay" + new ApiQuery().Add("workspace_id", workspaceId), body: null, cancellationToken);
}
