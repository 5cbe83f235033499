namespace CatSyphon.Web.Api;

/// <summary>/api/insights: the project health report and the weekly digest.</summary>
public static class InsightsClient
{
    public static Task<HealthReport> GetHealthAsync(this CatSyphonApi api, Guid workspaceId, int days, CancellationToken cancellationToken = default) =>
        api.GetAsync<HealthReport>($"/api/insights/health{new ApiQuery().Add("workspace_id", workspaceId).Add("days", days)}", cancellationToken);

    public static Task<ProjectHealthReport> GetProjectHealthAsync(
        this CatSyphonApi api, Guid workspaceId, Guid projectId, int days, CancellationToken cancellationToken = default) =>
        api.GetAsync<ProjectHealthReport>($"/api/insights/health/{projectId}{new ApiQuery().Add("workspace_id", workspaceId).Add("days", days)}", cancellationToken);

    /// <param name="week">An ISO week (<c>2026-W49</c>); null for the last complete week.</param>
    public static Task<WeeklyDigest> GetDigestAsync(this CatSyphonApi api, Guid workspaceId, string? week, CancellationToken cancellationToken = default) =>
        api.GetAsync<WeeklyDigest>($"/api/insights/digest{new ApiQuery().Add("workspace_id", workspaceId).Add("week", week)}", cancellationToken);

    /// <param name="linkBase">The web's own address, so the Markdown's session links open here.</param>
    public static Task<string> GetDigestMarkdownAsync(this CatSyphonApi api, Guid workspaceId, string week, string linkBase, CancellationToken cancellationToken = default) =>
        api.GetTextAsync($"/api/insights/digest.md{new ApiQuery().Add("workspace_id", workspaceId).Add("week", week).Add("link_base", linkBase)}", cancellationToken);
}
