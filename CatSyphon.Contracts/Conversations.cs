using System.Text.Json.Serialization;

namespace CatSyphon.Contracts;

public sealed record ConversationSummary : PricedTokenCounts
{
    public Guid Id { get; init; }
    public required string SessionId { get; init; }

    /// <summary>What the session is about: the agent's summary record, else its first real prompt (at most 200 characters); null until one arrives.</summary>
    public string? Title { get; init; }
    public string? AgentType { get; init; }
    public string? AgentVersion { get; init; }
    public Guid? ProjectId { get; init; }
    public string? ProjectName { get; init; }
    public Guid? DeveloperId { get; init; }
    public string? DeveloperName { get; init; }
    public string? GitBranch { get; init; }
    /// <summary><c>active</c> only while events keep arriving (the last within the server's idle time), else <c>completed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>
    /// How a completed session ended: the outcome reported with its end (session_end or the complete call), <c>ended</c>
    /// when it ended without one, <c>idle</c> when it went quiet; null while active.
    /// </summary>
    public string? EndReason { get; init; }
    public string? Outcome { get; init; }
    public string? Summary { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it ended; for an idle session, its last event.</summary>
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset? LastEventAt { get; init; }
    public double? DurationSeconds { get; init; }
    public int MessageCount { get; init; }
    public int ToolCallCount { get; init; }
    public int EventCount { get; init; }
    public bool HasPlan { get; init; }
    public bool HasErrors { get; init; }

    /// <summary>Known only from the agent's OTLP telemetry so far: no transcript event has arrived (see <c>/api/conversations/{id}/telemetry</c>).</summary>
    public bool TelemetryOnly { get; init; }
    public Guid? ParentConversationId { get; init; }
    public string? ParentSessionId { get; init; }
    public int ChildCount { get; init; }
    public required string[] Models { get; init; }

    /// <summary>The deterministic tags, once the worker has computed them (the session is over); null before.</summary>
    public SessionTags? Tags { get; init; }

    // Rank and snippet follow the token fields of the base record, as they always have.
    /// <summary>Search results only: how well the best matching message matches.</summary>
    [JsonPropertyOrder(1)]
    public double? Rank { get; init; }

    /// <summary>
    /// Search results only: text around the matches of the best matching message, each match wrapped in
    /// <c>&lt;mark&gt;…&lt;/mark&gt;</c>. Everything else is log text as written: escape it before showing it.
    /// </summary>
    [JsonPropertyOrder(1)]
    public string? Snippet { get; init; }
}

public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, string? NextCursor);

public sealed record FileTouchedView(string Path, string ChangeKind, int? LinesAdded, int? LinesDeleted, DateTimeOffset? TouchedAt);

public sealed record ConversationRef(Guid Id, string SessionId, string? AgentType, int MessageCount, DateTimeOffset? StartedAt);

public sealed record ConversationDetail(
    ConversationSummary Conversation, string? WorkingDirectory, string? Hostname, IReadOnlyList<PricedTotals> TokensByModel,
    ConversationRef? Parent, IReadOnlyList<ConversationRef> Children, IReadOnlyList<FileTouchedView> FilesTouched,
    IReadOnlyList<PlanSummary> Plans, IReadOnlyList<TagEvidence> Evidence, SessionLlmInsightView? Llm);
