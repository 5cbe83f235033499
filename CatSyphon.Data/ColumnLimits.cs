using CatSyphon.Protocol;

namespace CatSyphon.Data;

/// <summary>
/// Maximum lengths (in characters) of the bounded text columns. Values the collector contract bounds
/// (session id, event hash) or that the API validates (names, slugs, registration fields) use them
/// directly; wire values that are only bounded because they are indexed (model, ids, tool names,
/// usernames, plan identifiers) must be validated or truncated to these limits by the ingest code
/// (the raw jsonb keeps the full value). Other free text is unbounded <c>text</c>.
/// </summary>
public static class ColumnLimits
{
    public const int Name = 200;
    public const int Slug = 100;

    /// <summary>A session's title: a prompt or summary trimmed to what a list row or a browser tab shows.</summary>
    public const int Title = 200;

    /// <summary>Short server-side or validated labels (collector type and version, audit action, target type).</summary>
    public const int Label = 100;

    /// <summary>Session ids are 1..255 characters by contract.</summary>
    public const int SessionId = ProtocolLimits.MaxSessionIdLength;

    /// <summary>Event hashes are 1..64 characters by contract (the server's own is 64 hex digits).</summary>
    public const int EventHash = ProtocolLimits.MaxEventHashLength;

    /// <summary>Hostnames are short text by contract (registration and events).</summary>
    public const int Hostname = ProtocolLimits.MaxShortTextLength;

    /// <summary>An email address (RFC 5321's limit on a path).</summary>
    public const int Email = 254;

    /// <summary>A client address as text (IPv6 with a zone fits).</summary>
    public const int Address = 64;

    /// <summary>Key and token prefixes (<c>cs_live_</c> + 4).</summary>
    public const int KeyPrefix = 32;

    /// <summary>
    /// Indexed identifiers from the wire (model, api message id, tool use id, tool name, username: short text by
    /// contract) and the audit target id.
    /// </summary>
    public const int Identifier = ProtocolLimits.MaxShortTextLength;

    /// <summary>
    /// Token usage keys (the parsers' are about 100 characters); the ingest code replaces a longer key by a digest of it.
    /// </summary>
    public const int UsageKey = 512;

    /// <summary>
    /// The largest token count of one API response, by contract: token_usages' CHECK constraints hold it, so no sum
    /// over any number of rows can overflow.
    /// </summary>
    public const long MaxTokenCount = ProtocolLimits.MaxTokenCount;

    /// <summary>Plan identifiers (usually a file path).</summary>
    public const int PlanIdentifier = 1024;

    /// <summary>A workspace redaction pattern or allow-list string.</summary>
    public const int RedactionRuleValue = 500;

    /// <summary>An LLM's narrative summary of a session.</summary>
    public const int LlmSummary = 600;

    /// <summary>Items of an LLM's lists (problems, features, learning opportunities) and the length of each.</summary>
    public const int LlmListItems = 5;

    public const int LlmListItem = 200;

    /// <summary>The reason an LLM request failed, as stored (short, no secret).</summary>
    public const int LlmError = 300;

    /// <summary>Stored enum wire names.</summary>
    public const int EnumName = 32;
}
