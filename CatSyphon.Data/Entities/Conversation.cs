using CatSyphon.Contracts;
using CatSyphon.Protocol;

namespace CatSyphon.Data;

/// <summary>
/// One agent session (<c>session_id</c>, unique within its workspace) with its running counters; its
/// tokens are the sum of its <see cref="TokenUsage"/> rows. Sub-agent sessions point at their parent;
/// <see cref="ParentSessionId"/> keeps the reported parent so a child that arrives before its parent can
/// be linked later.
/// </summary>
public class Conversation : WorkspaceRow
{
    /// <summary>The collector that started the session; null once that collector is gone or for uploads.</summary>
    public Guid? CollectorId { get; set; }

    public Collector? Collector { get; set; }

    public Guid? ProjectId { get; set; }

    public Project? Project { get; set; }

    public Guid? DeveloperId { get; set; }

    public Developer? Developer { get; set; }

    /// <summary>The collector's session id (1..255 chars).</summary>
    public required string SessionId { get; set; }

    public Guid? ParentConversationId { get; set; }

    public Conversation? ParentConversation { get; set; }

    /// <summary>The parent's session id as reported in <c>session_start</c>, whether or not the parent is known yet.</summary>
    public string? ParentSessionId { get; set; }

    public string? AgentType { get; set; }

    public string? AgentVersion { get; set; }

    public string? WorkingDirectory { get; set; }

    public string? GitBranch { get; set; }

    public string? Slug { get; set; }

    public string? Hostname { get; set; }

    public ConversationStatus Status { get; set; } = ConversationStatus.Active;

    /// <summary>From <c>session_end</c> or the complete call (free text, e.g. <c>success</c>).</summary>
    public string? Outcome { get; set; }

    public string? Summary { get; set; }

    /// <summary>What the session is about, for lists and tabs (see <see cref="TitleSource"/>); null until a real prompt arrives.</summary>
    public string? Title { get; set; }

    public TitleSource? TitleSource { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Earliest <c>emitted_at</c> of any stored event.</summary>
    public DateTimeOffset? FirstEventAt { get; set; }

    /// <summary>Latest <c>emitted_at</c> of any stored event.</summary>
    public DateTimeOffset? LastEventAt { get; set; }

    public int MessageCount { get; set; }

    public int ToolCallCount { get; set; }

    public int EventCount { get; set; }

    /// <summary>Highest contiguous sequence accepted (0 at start).</summary>
    public long LastSequence { get; set; }

    /// <summary>Highest contiguous sequence stored in PostgreSQL.</summary>
    public long PersistedSequence { get; set; }

    public bool HasPlan { get; set; }

    public bool HasErrors { get; set; }

    /// <summary>
    /// Created by the agent's OTLP telemetry before any transcript event arrived (the row the session's events then join):
    /// a session that only ever sends telemetry still appears, with no events.
    /// </summary>
    public bool FromTelemetry { get; set; }

    /// <summary>Other session-level fields (jsonb), e.g. from <c>metadata</c> events.</summary>
    public string? Metadata { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public ICollection<Conversation> Children { get; } = new List<Conversation>();

    public ICollection<Message> Messages { get; } = new List<Message>();

    public ICollection<ToolCall> ToolCalls { get; } = new List<ToolCall>();

    public ICollection<FileTouched> FilesTouched { get; } = new List<FileTouched>();

    public ICollection<Plan> Plans { get; } = new List<Plan>();

    public ICollection<TokenUsage> TokenUsages { get; } = new List<TokenUsage>();
}

/// <summary>A row the worker derives from a conversation's events: a stored event, a tool call, a file touched.</summary>
/// <remarks>
/// The key is a bigint identity, not a Guid: these are the largest tables (messages holds every event of every
/// session), rows are only ever addressed through their conversation, and an 8-byte, insert-ordered key keeps the
/// primary key and every foreign key to it half the size and append-only.
/// </remarks>
public abstract class ConversationEventRow
{
    public long Id { get; set; }

    public Guid ConversationId { get; set; }

    public Conversation? Conversation { get; set; }
}

/// <summary>
/// One stored event of a conversation (every event type, not only <c>message</c>), stored at most
/// once per (conversation, event_hash) and ordered by <see cref="Sequence"/>.
/// </summary>
public class Message : ConversationEventRow
{
    public long Sequence { get; set; }

    /// <summary>The dedup key: client-supplied (1..64 chars) or the server's hash.</summary>
    public required string EventHash { get; set; }

    public EventType EventType { get; set; }

    /// <summary><c>author_role</c>; set for <c>message</c> events.</summary>
    public AuthorRole? Role { get; set; }

    /// <summary><c>message_type</c>; set for <c>message</c> events.</summary>
    public MessageType? MessageType { get; set; }

    public string? Content { get; set; }

    public string? Thinking { get; set; }

    public string? Model { get; set; }

    /// <summary>The usage this event carried, as reported; totals count each API response once through <see cref="TokenUsage"/>.</summary>
    public long? InputTokens { get; set; }

    public long? OutputTokens { get; set; }

    public long? CacheCreationTokens { get; set; }

    public long? CacheReadTokens { get; set; }

    public string? ApiMessageId { get; set; }

    public string? RequestId { get; set; }

    public string? Uuid { get; set; }

    public string? ParentUuid { get; set; }

    public string? StopReason { get; set; }

    /// <summary>The event's whole <c>data</c> object as received (jsonb), extra fields included.</summary>
    public string? RawData { get; set; }

    public DateTimeOffset EmittedAt { get; set; }

    public DateTimeOffset? ObservedAt { get; set; }

    /// <summary>When the API accepted the batch holding this event.</summary>
    public DateTimeOffset ReceivedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>A tool invocation, joined with its result by <c>tool_use_id</c>.</summary>
public class ToolCall : ConversationEventRow
{
    /// <summary>The <c>tool_call</c> event's row, when stored.</summary>
    public long? MessageId { get; set; }

    public Message? Message { get; set; }

    public required string ToolUseId { get; set; }

    /// <summary>Null when the result arrived before the call.</summary>
    public string? ToolName { get; set; }

    /// <summary>jsonb.</summary>
    public string? Parameters { get; set; }

    public string? Result { get; set; }

    public bool? Success { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTimeOffset? CalledAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>A file a conversation read or changed (<c>session_end.files_touched[]</c>).</summary>
public class FileTouched : ConversationEventRow
{
    public required string Path { get; set; }

    /// <summary>read, created, modified, deleted, renamed... as reported (free text, lower case).</summary>
    public required string ChangeKind { get; set; }

    public int? LinesAdded { get; set; }

    public int? LinesDeleted { get; set; }

    public DateTimeOffset? TouchedAt { get; set; }
}

/// <summary>A plan written during a conversation; each distinct content is a <see cref="PlanVersion"/>.</summary>
public class Plan
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid ConversationId { get; set; }

    public Conversation? Conversation { get; set; }

    /// <summary>The plan's path or the collector's identifier for it; unique within the conversation.</summary>
    public required string Identifier { get; set; }

    public string? Title { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public ICollection<PlanVersion> Versions { get; } = new List<PlanVersion>();
}

public class PlanVersion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid PlanId { get; set; }

    public Plan? Plan { get; set; }

    /// <summary>1, 2, 3... unique within the plan.</summary>
    public int Version { get; set; }

    public required string Content { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
