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
