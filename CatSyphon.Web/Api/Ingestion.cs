namespace CatSyphon.Web.Api;

/// <summary>/api/ingestion: jobs, rates, lag and dead letters.</summary>
public static class IngestionClient
{
    public static Task<IngestionJobPage> ListIngestionJobsAsync(
        this CatSyphonApi api, Guid workspaceId, string? outcome, string? cursor, int limit, CancellationToken cancellationToken = default) =>
        api.GetAsync<IngestionJobPage>("/api/ingestion/jobs" + new ApiQuery()
            .Add("workspace_id", workspaceId).Add("outcome", outcome).Add("cursor", cursor).Add("limit", limit), cancellationToken);

    public static Task<IngestionStats> GetIngestionStatsAsync(this CatSyphonApi api, Guid workspaceId, int windowMinutes, CancellationToken cancellationToken = default) =>
        api.GetAsync<IngestionStats>("/api/ingestion/stats" + new ApiQuery().Add("workspace_id", workspaceId).Add("window_minutes", windowMinutes), cancellationToken);

    public static Task<IReadOnlyList<DeadLetterView>> ListDeadLettersAsync(this CatSyphonApi api, Guid workspaceId, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<DeadLetterView>>("/api/ingestion/dead-letters" + new ApiQuery().Add("workspace_id", workspaceId).Add("limit", 200), cancellationToken);

    public static Task<DeadLetterView> ReplayDeadLetterAsync(this CatSyphonApi api, Guid workspaceId, string id, CancellationToken cancellationToken = default) =>
        api.PostAsync<DeadLetterView>($"/api/ingestion/dead-letters/{Uri.EscapeDataString(id)}/replay" + new ApiQuery().Add("workspace_id", workspaceId), body: null, cancellationToken);
}
