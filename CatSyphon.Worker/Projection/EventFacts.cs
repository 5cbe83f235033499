namespace CatSyphon.Worker.Projection;

internal sealed record SessionStartInfo(
    string? AgentType,
    string? AgentVersion,
    string? WorkingDirectory,
    string? GitBranch,
    string? Slug,
    string? Hostname,
    string? ParentSessionId,
    string? Developer,
    string? DeveloperDisplayName,
    DateTimeOffset StartedAt)
{
    /// <summary>The project's display name: the last segment of the working directory.</summary>
    public string? ProjectName => WorkingDirectory is null ? null : ConversationProjector.LastPathSegment(WorkingDirectory);
}

/// <summary>
/// How a row's usage is counted and priced: <see cref="CacheCreation1h"/> is the part of its cache creation tokens
/// written to the 1-hour cache (0 when the collector sent no breakdown: all 5-minute), <see cref="Fast"/> fast mode.
/// </summary>
/// <param name="Key">The parsers' <c>usage_key</c>, the same on every copy of one API response; null when absent.</param>
/// <param name="Model">The model the usage is counted under; null when the response named none.</param>
/// <param name="FromSubAgent">The copy comes from a sub-agent's log: a main-session copy of the response counts instead.</param>
internal sealed record UsageInfo(string? Key, string? Model, bool FromSubAgent, long CacheCreation1h, bool Fast);

internal sealed record PlanInfo(string Identifier, string? Title, string? Status, IReadOnlyList<string> Versions);

internal sealed record FileInfoRow(string Path, string ChangeKind, int? LinesAdded, int? LinesDeleted, DateTimeOffset? TouchedAt);

internal sealed record SessionEndInfo(string? Outcome, string? Summary, DateTimeOffset EndedAt, IReadOnlyList<PlanInfo> Plans, IReadOnlyList<FileInfoRow> Files);
