namespace CatSyphon.Web.Api;

/// <summary>Retention, erasure and the data jobs that carry them out.</summary>
public static class DataJobsClient
{
    /// <param name="days">Days to keep sessions after their last activity, or null to keep them forever.</param>
    public static Task<WorkspaceResponse> SetRetentionAsync(this CatSyphonApi api, Guid workspace, int? days, CancellationToken cancellationToken = default) =>
        api.PatchAsync<WorkspaceResponse>($"/api/workspaces/{workspace}", new UpdateWorkspaceRequest(null, null, null, days ?? 0), cancellationToken);

    public static Task<IReadOnlyList<DataJobView>> ListDataJobsAsync(this CatSyphonApi api, Guid workspace, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<DataJobView>>($"/api/workspaces/{workspace}/data-jobs", cancellationToken);

    public static Task<DataJobView> EraseSessionAsync(this CatSyphonApi api, Guid workspace, string sessionId, CancellationToken cancellationToken = default) =>
        api.PostAsync<DataJobView>($"/api/workspaces/{workspace}/erase/session", new EraseSessionRequest(sessionId), cancellationToken);

    public static Task<DataJobView> EraseDeveloperAsync(this CatSyphonApi api, Guid workspace, Guid developerId, CancellationToken cancellationToken = default) =>
        api.PostAsync<DataJobView>($"/api/workspaces/{workspace}/erase/developer", new EraseDeveloperRequest(developerId), cancellationToken);

    public static Task<DataJobView> EraseWorkspaceAsync(this CatSyphonApi api, Guid workspace, string slug, CancellationToken cancellationToken = default) =>
        api.PostAsync<DataJobView>($"/api/workspaces/{workspace}/erase/workspace", new EraseWorkspaceRequest(slug), cancellationToken);
}
