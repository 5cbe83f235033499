using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Telemetry.Otlp;

/// <summary>
/// Which agent sent a record and what it names (agent-telemetry.md §5.3 to §5.5): Claude Code by its service name,
/// scope or <c>claude_code.</c> names; Codex by its originator service names (<c>codex_cli_rs</c>, <c>codex_exec</c>...),
/// <c>codex.</c> names or its <c>conversation.id</c>.
/// </summary>
internal static class AgentRecognition
{
    public const string ClaudePrefix = "claude_code.";
    public const string CodexPrefix = "codex.";
    private const string ClaudeScope = "com.anthropic.claude_code";

    public static string? Agent(string? serviceName, string? scopeName, string? prefixedName, OtlpAttributes attributes)
    {
        if (serviceName == AgentTypes.ClaudeCode
            || scopeName?.StartsWith(ClaudeScope, StringComparison.Ordinal) == true
            || prefixedName?.StartsWith(ClaudePrefix, StringComparison.Ordinal) == true)
        {
            return AgentTypes.ClaudeCode;
        }

        return serviceName?.StartsWith(AgentTypes.Codex, StringComparison.Ordinal) == true
            || scopeName?.StartsWith(AgentTypes.Codex, StringComparison.Ordinal) == true
            || prefixedName?.StartsWith(CodexPrefix, StringComparison.Ordinal) == true
            || attributes["conversation.id"] is not null
                ? AgentTypes.Codex
                : null;
    }

    /// <summary>
    /// The event's full name: the <c>event.name</c> attribute (Codex: <c>codex.X</c>; Claude Code: <c>X</c>), else a body
    /// naming it (Claude Code: <c>claude_code.X</c>), else the record's <c>eventName</c>. Null when none is given.
    /// </summary>
    public static string? FullEventName(string? attributeName, string? body, string? recordEventName)
    {
        if (body is not null && body.StartsWith(ClaudePrefix, StringComparison.Ordinal)
            && (attributeName is null || body.AsSpan(ClaudePrefix.Length).SequenceEqual(attributeName)))
        {
            return body;
        }

        return attributeName ?? recordEventName;
    }

    /// <summary>The event name without its agent's prefix (<c>api_request</c>), so both agents' events group alike.</summary>
    public static string ShortName(string fullName) =>
        fullName.StartsWith(ClaudePrefix, StringComparison.Ordinal) ? fullName[ClaudePrefix.Length..]
        : fullName.StartsWith(CodexPrefix, StringComparison.Ordinal) ? fullName[CodexPrefix.Length..]
        : fullName;

    /// <summary>Claude Code's <c>session.id</c>, else Codex's <c>conversation.id</c>.</summary>
    public static string? SessionId(OtlpAttributes attributes) => attributes.FirstText("session.id", "conversation.id");

    /// <summary>
    /// A tool decision as accept or reject: Claude Code says <c>accept</c>/<c>reject</c>, Codex <c>approved</c>,
    /// <c>approved_for_session</c>, <c>approved_execpolicy_amendment</c>, <c>denied</c> or <c>abort</c>. Null otherwise.
    /// </summary>
    public static string? Decision(string? decision) => decision switch
    {
        null => null,
        "accept" or "allow" => TelemetryDecisions.Accept,
        "reject" or "deny" or "denied" or "abort" => TelemetryDecisions.Reject,
        _ when decision.StartsWith("approved", StringComparison.Ordinal) => TelemetryDecisions.Accept,
        _ => null,
    };
}
