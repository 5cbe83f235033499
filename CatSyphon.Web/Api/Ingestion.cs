namespace CatSyphon.Web.Api;

/// <summary>/api/ingestion: jobs, rates, lag and dead letters; /api/ops/storage: the database's size and growth.</summary>
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

    /// <summary>Database-wide sizes and growth, with the organization's workspaces' events per day (organization admins).</summary>
    public static Task<StorageReport> GetStorageAsync(this CatSyphonApi api, int days, CancellationToken cancellationToken = default) =>
        api.GetAsync<StorageReport>("/api/ops/storage" + new ApiQuery().Add("days", days), cancellationToken);

    /// <summary>One workspace's events per UTC day (its admins).</summary>
    public static Task<WorkspaceEventDays> GetWorkspaceEventDaysAsync(this CatSyphonApi api, Guid workspaceId, int days, CancellationToken cancellationToken = default) =>
        api.GetAsync<WorkspaceEventDays>("/api/ops/storage/events" + new ApiQuery().Add("workspace_id", workspaceId).Add("days", days), cancellationToken);
}
