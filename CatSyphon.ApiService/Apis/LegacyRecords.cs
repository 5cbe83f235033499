// The request and response records of the query and management API, as they were declared in the endpoint files
// (kept unchanged here while they move to CatSyphon.Contracts).
using System.Text.Json;
using System.Text.Json.Serialization;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.ApiService.Pricing;
using CatSyphon.Protocol;

namespace CatSyphon.ApiService.Apis;

// From WorkspacesApi.cs

public sealed record CreateWorkspaceRequest(string? Name, string? Slug, Guid? OrganizationId, CollectorRegistration? CollectorRegistration);

public sealed record UpdateWorkspaceRequest(string? Name, CollectorRegistration? CollectorRegistration)
{
    /// <summary>Fields the request holds that PATCH does not change (unknown ones, or <c>slug</c>, <c>id</c>...): a 422 names them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unchangeable { get; init; }
}

public sealed record WorkspaceResponse(Guid Id, string Name, string Slug, Guid OrganizationId, CollectorRegistration CollectorRegistration, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WorkspaceResponse From(Workspace workspace) => new(
        workspace.Id, workspace.Name, workspace.Slug, workspace.OrganizationId, workspace.CollectorRegistration, workspace.CreatedAt, workspace.UpdatedAt);
}

public sealed record CreateEnrollmentTokenRequest(int? ExpiresInHours);

public sealed record EnrollmentTokenResponse(Guid Id, string Token, string Prefix, DateTimeOffset ExpiresAt);

// From CollectorsAdminApi.cs

public sealed record CollectorSummary(
    Guid Id, Guid WorkspaceId, string CollectorType, string CollectorVersion, string Hostname, string ApiKeyPrefix,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSeenAt, bool Stale, long Sessions, long Events,
    DateTimeOffset? RevokedAt, DateTimeOffset? DisabledAt, int? LastQueueDepth);

public sealed record RotateKeyRequest(int? GraceSeconds);

public sealed record RotateKeyResponse(Guid CollectorId, string ApiKey, string ApiKeyPrefix, DateTimeOffset? PreviousKeyExpiresAt);

// From IngestionApi.cs

public sealed record IngestionJobView(
    Guid Id, Guid WorkspaceId, Guid? CollectorId, string SessionId, Guid? ConversationId, IngestionSource Source,
    int ReceivedEvents, int Accepted, int Duplicates, IngestionOutcome Outcome, int? HttpStatus, string? Error,
    DateTimeOffset StartedAt, double? DurationMs);

public sealed record IngestionJobPage(IReadOnlyList<IngestionJobView> Items, string? NextCursor);

public sealed record IngestionStats(
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Batches, long AcceptedBatches, long RefusedBatches,
    double SuccessRate, double FailureRate, long EventsAccepted, long Duplicates, double EventsPerSecond,
    long StreamLag, long DeadLetters);

// From UploadsApi.cs

public sealed record UploadResponse(Guid WorkspaceId, IReadOnlyList<UploadedFileResult> Files);

// From StatsApi.cs

public sealed record TokenStats(Guid WorkspaceId, string GroupBy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<PricedTotals> Groups, PricedTotals Totals);

// From PlansApi.cs

public sealed record PlanSummary(
    Guid Id, Guid ConversationId, string SessionId, string? ProjectName, string Identifier, string? Title, string? Status,
    int Versions, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PlanVersionView(int Version, string Content, DateTimeOffset CreatedAt);

public sealed record PlanDetail(PlanSummary Plan, IReadOnlyList<PlanVersionView> Versions);

/// <summary>One row of a side-by-side diff; a side is null where the line exists only on the other side.</summary>
public sealed record PlanDiffLine(string Change, int? OldNumber, string? OldText, int? NewNumber, string? NewText);

public sealed record PlanDiff(Guid PlanId, int From, int To, int Added, int Deleted, int Changed, IReadOnlyList<PlanDiffLine> Lines);

// From ToolUsageApi.cs

public sealed record ToolUsage
{
    public required string ToolName { get; init; }
    public long Calls { get; init; }
    public long Errors { get; init; }
    /// <summary>Calls whose result has not been seen (still running, or the session ended first).</summary>
    public long WithoutResult { get; init; }
    public double ErrorRate { get; init; }
    public long Sessions { get; init; }
    public double? AverageDurationMs { get; init; }
}

public sealed record ToolUsageReport(Guid WorkspaceId, DateTimeOffset? From, DateTimeOffset? To, long Calls, long Errors, double ErrorRate, IReadOnlyList<ToolUsage> Tools);

// From ProjectsApi.cs

public sealed record ProjectView(
    Guid Id, string Name, string Directory, long Sessions, long Developers, DateTimeOffset? LastActivityAt, PricedTotals Tokens);

public sealed record DeveloperView(
    Guid Id, string Username, string? DisplayName, long Sessions, long Projects, DateTimeOffset? LastActivityAt, PricedTotals Tokens);

// From ProjectFilesApi.cs

public sealed record FileActivity
{
    public required string Path { get; init; }
    public long Touches { get; init; }
    public long Sessions { get; init; }
    public long LinesAdded { get; init; }
    public long LinesDeleted { get; init; }
    public required string[] ChangeKinds { get; init; }
    public DateTimeOffset? LastTouchedAt { get; init; }
}

public sealed record ProjectFiles(Guid ProjectId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<FileActivity> Files);

// From ConversationsApi.cs

public sealed record ConversationSummary
{
    public Guid Id { get; init; }
    public required string SessionId { get; init; }
    public string? AgentType { get; init; }
    public string? AgentVersion { get; init; }
    public Guid? ProjectId { get; init; }
    public string? ProjectName { get; init; }
    public Guid? DeveloperId { get; init; }
    public string? DeveloperName { get; init; }
    public string? GitBranch { get; init; }
    public required string Status { get; init; }
    public string? Outcome { get; init; }
    public string? Summary { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset? LastEventAt { get; init; }
    public double? DurationSeconds { get; init; }
    public int MessageCount { get; init; }
    public int ToolCallCount { get; init; }
    public int EventCount { get; init; }
    public bool HasPlan { get; init; }
    public bool HasErrors { get; init; }
    public Guid? ParentConversationId { get; init; }
    public string? ParentSessionId { get; init; }
    public int ChildCount { get; init; }
    public required string[] Models { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheCreationTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long TotalTokens => InputTokens + OutputTokens + CacheCreationTokens + CacheReadTokens;
    /// <summary>USD of the priced tokens (0 with none); see <see cref="UnpricedTokens"/>.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Tokens of models the price table does not know (or without a model): not in the cost.</summary>
    public long UnpricedTokens { get; init; }

    /// <summary>Search results only: how well the best matching message matches.</summary>
    public double? Rank { get; init; }

    /// <summary>
    /// Search results only: text around the matches of the best matching message, each match wrapped in
    /// <c>&lt;mark&gt;…&lt;/mark&gt;</c>. Everything else is log text as written: escape it before showing it.
    /// </summary>
    public string? Snippet { get; init; }
}

public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, string? NextCursor);

public sealed record FileTouchedView(string Path, string ChangeKind, int? LinesAdded, int? LinesDeleted, DateTimeOffset? TouchedAt);

public sealed record ConversationRef(Guid Id, string SessionId, string? AgentType, int MessageCount, DateTimeOffset? StartedAt);

public sealed record ConversationDetail(
    ConversationSummary Conversation, string? WorkingDirectory, string? Hostname, IReadOnlyList<PricedTotals> TokensByModel,
    ConversationRef? Parent, IReadOnlyList<ConversationRef> Children, IReadOnlyList<FileTouchedView> FilesTouched,
    IReadOnlyList<PlanSummary> Plans);

// From ConversationMessagesApi.cs

public sealed record TokenCounts(long Input, long Output, long CacheCreation, long CacheRead);

public sealed record ToolCallView(
    string ToolUseId, string? ToolName, JsonElement? Parameters, string? Result, bool? Success, string? ErrorMessage,
    DateTimeOffset? CalledAt, DateTimeOffset? CompletedAt);

public sealed record TranscriptEntry(
    long Sequence, string EventType, string? Role, string? MessageType, string? Content, string? Thinking, string? Model,
    string? StopReason, string? Uuid, string? ParentUuid, DateTimeOffset EmittedAt, TokenCounts? Tokens, ToolCallView? ToolCall,
    JsonElement? RawData);

public sealed record TranscriptPage(Guid ConversationId, IReadOnlyList<TranscriptEntry> Items, long? NextAfter);

// From ActivityStatsApi.cs

public sealed record ActivityGroup
{
    /// <summary>The group: a UTC day (yyyy-MM-dd), a model, a project or developer id, or an agent type; null for "none".</summary>
    public string? Key { get; init; }

    /// <summary>A readable name for project and developer groups.</summary>
    public string? Label { get; init; }

    public long Sessions { get; init; }
    public long Messages { get; init; }
    public long ToolCalls { get; init; }
    public long ActiveDevelopers { get; init; }
    public double? AverageDurationSeconds { get; init; }
    public double TotalDurationSeconds { get; init; }
    public IReadOnlyDictionary<string, long> Outcomes { get; init; } = new Dictionary<string, long>();

    /// <summary>Share of the sessions with an outcome that ended with each outcome.</summary>
    public IReadOnlyDictionary<string, double> OutcomeRates { get; init; } = new Dictionary<string, double>();

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheCreationTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long TotalTokens => InputTokens + OutputTokens + CacheCreationTokens + CacheReadTokens;

    /// <summary>USD of the priced tokens; <see cref="UnpricedTokens"/> are not in it.</summary>
    public decimal CostUsd { get; init; }

    public long UnpricedTokens { get; init; }
}

public sealed record ActivityReport(Guid WorkspaceId, string GroupBy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<ActivityGroup> Groups, ActivityGroup Totals);
