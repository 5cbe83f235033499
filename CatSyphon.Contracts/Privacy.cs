namespace CatSyphon.Contracts;

/// <summary>What a workspace redaction rule does.</summary>
public enum RedactionRuleKind
{
    /// <summary>A regular expression whose matches become <c>[REDACTED:&lt;label&gt;]</c>.</summary>
    Pattern,

    /// <summary>An exact string that is never redacted, even when a rule matches it (a known test key, a public id).</summary>
    Allow,
}

/// <summary>What a data job does.</summary>
public enum DataJobKind
{
    /// <summary>Erase one session (by its session id).</summary>
    EraseSession,

    /// <summary>Erase every session of one developer.</summary>
    EraseDeveloper,

    /// <summary>Erase every session of the workspace.</summary>
    EraseWorkspace,

    /// <summary>The scheduled deletion of sessions older than the workspace's retention.</summary>
    Retention,
}

/// <summary>Where a data job stands.</summary>
public enum DataJobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// A workspace rule to add: a <c>pattern</c> (a .NET regular expression run without backtracking; matches become
/// <c>[REDACTED:label]</c>) or an <c>allow</c> string (an exact value never redacted).
/// </summary>
public sealed record CreateRedactionRuleRequest(RedactionRuleKind? Kind, string? Value, string? Label);

public sealed record RedactionRuleView(Guid Id, RedactionRuleKind Kind, string Value, string? Label, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>Text to redact with the workspace's rules, to try them out (nothing is stored).</summary>
public sealed record RedactionPreviewRequest(string? Text);

/// <summary>The text as the workspace's rules redact it, and how many secrets were replaced.</summary>
public sealed record RedactionPreviewResponse(string Text, int Redacted);

/// <summary>Erase one session (and its sub-agent sessions) by the collector's session id.</summary>
public sealed record EraseSessionRequest(string? SessionId);

/// <summary>Erase every session of one developer of the workspace.</summary>
public sealed record EraseDeveloperRequest(Guid? DeveloperId);

/// <summary>Erase every session of the workspace; <c>slug</c> must repeat the workspace's slug, as a confirmation.</summary>
public sealed record EraseWorkspaceRequest(string? Slug);

/// <summary>
/// An erasure or retention run. <c>total</c> and <c>processed</c> count sessions; <c>counts</c> the rows removed per kind
/// (<c>sessions</c>, <c>messages</c>, <c>tool_calls</c>, ...). Never content.
/// </summary>
public sealed record DataJobView(
    Guid Id, DataJobKind Kind, string? Target, DataJobStatus Status, long Total, long Processed, IReadOnlyDictionary<string, long> Counts,
    string? Error, string RequestedBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
