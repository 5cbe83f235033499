namespace CatSyphon.Web.Api;

/// <summary>What part of a workspace's activity a report covers: a time range, optionally one project.</summary>
public sealed record ActivityScope(Guid WorkspaceId, DateTimeOffset? From, DateTimeOffset? To, Guid? ProjectId = null)
{
    public ApiQuery ToQuery() => new ApiQuery()
        .Add("workspace_id", WorkspaceId).Add("project_id", ProjectId).Add("from", From).Add("to", To);
}

/// <summary>/api/stats: activity, tool usage and tagged outcomes.</summary>
public static class AnalyticsClient
{
    /// <param name="groupBy">day, model, project, developer or agent_type.</param>
    public static Task<ActivityReport> GetActivityAsync(this CatSyphonApi api, ActivityScope scope, string groupBy, CancellationToken cancellationToken = default) =>
        api.GetAsync<ActivityReport>($"/api/stats/activity{scope.ToQuery().Add("group_by", groupBy)}", cancellationToken);

    /// <summary>Sessions of the scope per tagged outcome and intent.</summary>
    public static Task<InsightReport> GetInsightsAsync(this CatSyphonApi api, ActivityScope scope, CancellationToken cancellationToken = default) =>
        api.GetAsync<InsightReport>($"/api/stats/insights{scope.ToQuery()}", cancellationToken);

    public static Task<ToolUsageReport> GetToolUsageAsync(this CatSyphonApi api, ActivityScope scope, CancellationToken cancellationToken = default) =>
        api.GetAsync<ToolUsageReport>($"/api/stats/tools{scope.ToQuery()}", cancellationToken);
}
