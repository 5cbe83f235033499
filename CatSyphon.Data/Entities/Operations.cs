using CatSyphon.Contracts;

namespace CatSyphon.Data;

/// <summary>One ingestion attempt (an events batch or an upload) and what became of it.</summary>
public class IngestionJob : WorkspaceRow
{
    public Guid? CollectorId { get; set; }

    public Collector? Collector { get; set; }

    public required string SessionId { get; set; }

    public Guid? ConversationId { get; set; }

    public Conversation? Conversation { get; set; }

    public IngestionSource Source { get; set; } = IngestionSource.Collector;

    /// <summary>Events in the request.</summary>
    public int ReceivedEvents { get; set; }

    /// <summary>Events newly accepted.</summary>
    public int Accepted { get; set; }

    public int Duplicates { get; set; }

    public IngestionOutcome Outcome { get; set; }

    public int? HttpStatus { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset StartedAt { get; set; } = DateTimeOffset.UtcNow;

    public double? DurationMs { get; set; }
}

/// <summary>An administrative or security-relevant action (registration, key rotation, revoke...).</summary>
public class AuditLogEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Null for actions outside any workspace; kept (set to null) if the workspace is deleted.</summary>
    public Guid? WorkspaceId { get; set; }

    public Workspace? Workspace { get; set; }

    /// <summary><c>admin</c> (the admin token), <c>user:&lt;id&gt;</c>, <c>collector:&lt;id&gt;</c>, <c>enrollment:&lt;token id&gt;</c>...</summary>
    public required string Actor { get; set; }

    /// <summary>The client address the request came from, when there was a request.</summary>
    public string? Address { get; set; }

    /// <summary>e.g. <c>collector.registered</c>, <c>collector.key_rotated</c>.</summary>
    public required string Action { get; set; }

    public string? TargetType { get; set; }

    public string? TargetId { get; set; }

    /// <summary>jsonb; never holds a secret.</summary>
    public string? Details { get; set; }

    public DateTimeOffset OccurredAt { get; set; } = DateTimeOffset.UtcNow;
}
