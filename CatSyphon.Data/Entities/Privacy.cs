using CatSyphon.Contracts;

namespace CatSyphon.Data;

/// <summary>A workspace's own redaction rule, applied by the API with the built-in rules (see <c>SecretRedactor</c>).</summary>
public class RedactionRule : WorkspaceRow
{
    public RedactionRuleKind Kind { get; set; }

    /// <summary>The regular expression (<see cref="RedactionRuleKind.Pattern"/>) or the exact allowed string.</summary>
    public required string Value { get; set; }

    /// <summary>For a pattern: the kind its marker names (<c>[REDACTED:label]</c>).</summary>
    public string? Label { get; set; }

    /// <summary>The actor who added it (<c>user:&lt;id&gt;</c>, <c>admin</c>).</summary>
    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>An erasure or retention run: what it removes, how far it got and what it removed.</summary>
public class DataJob : WorkspaceRow
{
    public DataJobKind Kind { get; set; }

    /// <summary>The session id (<see cref="DataJobKind.EraseSession"/>) or developer id (<see cref="DataJobKind.EraseDeveloper"/>).</summary>
    public string? Target { get; set; }

    public DataJobStatus Status { get; set; } = DataJobStatus.Queued;

    /// <summary>Sessions the job found to remove (known once it runs).</summary>
    public long Total { get; set; }

    /// <summary>Sessions removed so far.</summary>
    public long Processed { get; set; }

    /// <summary>jsonb: rows removed per kind (<c>{"messages": 120, ...}</c>); never content.</summary>
    public string? Counts { get; set; }

    public string? Error { get; set; }

    /// <summary>The actor who asked for it (<c>user:&lt;id&gt;</c>, <c>admin</c>, <c>retention</c>).</summary>
    public required string RequestedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>
/// The tombstone of an erased session: its id only, so that events a collector resends are answered as duplicates
/// and never stored again.
/// </summary>
public class ErasedSession
{
    public Guid WorkspaceId { get; set; }

    public required string SessionId { get; set; }

    public DateTimeOffset ErasedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The job that erased it.</summary>
    public Guid? JobId { get; set; }
}
