namespace CatSyphon.Web.Api;

public sealed record ActivityGroup
{
    /// <summary>A UTC day (yyyy-MM-dd), a model, a project or developer id, or an agent type; null for "none".</summary>
    public string? Key { get; init; }
    public string? Label { get; init; }
    public long Sessions { get; init; }
    public long Messages { get; init; }
    public long ToolCalls { get; init; }
    public long ActiveDevelopers { get; init; }
    public double? AverageDurationSeconds { get; init; }
    public Dictionary<string, long> Outcomes { get; init; } = [];
    public Dictionary<string, double> OutcomeRates { get; init; } = [];
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheCreationTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long TotalTokens { get; init; }
    public decimal CostUsd { get; init; }
    public long UnpricedTokens { get; init; }

    public string Name => Label ?? Key ?? "(none)";
}

public sealed record ActivityReport(string GroupBy, List<ActivityGroup> Groups, ActivityGroup Totals);

public sealed record ToolUsage(string ToolName, long Calls, long Errors, long WithoutResult, double ErrorRate, long Sessions, double? AverageDurationMs);

public sealed record ToolUsageReport(long Calls, long Errors, double ErrorRate, List<ToolUsage> Tools);

/// <summary>What part of a workspace's activity a report covers: a time range, optionally one project.</summary>
public sealed record ActivityScope(Guid WorkspaceId, DateTimeOffset? From, DateTimeOffset? To, Guid? ProjectId = null)
{
    public ApiQuery ToQuery() => new ApiQuery()
        .Add("workspace_id", WorkspaceId).Add("project_id", ProjectId).Add("from", From).Add("to", To);
}

/// <summary>/api/stats: activity and tool usage.</summary>
public static class AnalyticsApi
{
    /// <param name="groupBy">day, model, project, developer or agent_type.</param>
    public static Task<ActivityReport> GetActivityAsync(this CatSyphonApi api, ActivityScope scope, string groupBy, CancellationToken cancellationToken = default) =>
        api.GetAsync<ActivityReport>($"/api/stats/activity{scope.ToQuery().Add("group_by", groupBy)}", cancellationToken);

    public static Task<ToolUsageReport> GetToolUsageAsync(this CatSyphonApi api, ActivityScope scope, CancellationToken cancellationToken = default) =>
        api.GetAsync<ToolUsageReport>($"/api/stats/tools{scope.ToQuery()}", cancellationToken);
}
