namespace CatSyphon.Protocol;

/// <summary>The limits of the collector protocol (see docs/collector-protocol.md, "Value limits (v2.1)").</summary>
public static class ProtocolLimits
{
    /// <summary>A batch holds at most this many events; more is answered with 413.</summary>
    public const int MaxEventsPerBatch = 50;

    /// <summary>A batch holds at least this many events; fewer is answered with 422.</summary>
    public const int MinEventsPerBatch = 1;

    /// <summary>Maximum length of <c>session_id</c> (UTF-16 code units, which never undercounts characters).</summary>
    public const int MaxSessionIdLength = 255;

    /// <summary>Maximum length of a client-supplied <c>event_hash</c>.</summary>
    public const int MaxEventHashLength = 64;

    /// <summary>Default of <c>Ingest:MaxRequestBytes</c>: 4 MiB.</summary>
    public const long DefaultMaxRequestBytes = 4L * 1024 * 1024;

    /// <summary>
    /// The largest token count of one <c>token_usage</c> field: one API response. Sums of any number of rows
    /// this size stay far inside int64, so totals can never overflow.
    /// </summary>
    public const long MaxTokenCount = 1_000_000_000;

    /// <summary>
    /// The largest <c>sequence</c>, <c>final_sequence</c>, <c>event_count</c> and heartbeat <c>queue_depth</c>:
    /// 2^53 - 1, the largest integer every JSON client (JavaScript's numbers included) holds exactly.
    /// </summary>
    public const long MaxSequence = 9_007_199_254_740_991;

    /// <summary>Short text fields (ids, names, versions, heartbeat status): UTF-16 code units.</summary>
    public const int MaxShortTextLength = 255;

    /// <summary><c>working_directory</c> and file paths (PATH_MAX on Linux).</summary>
    public const int MaxPathLength = 4096;

    /// <summary><c>summary</c> of <c>POST /collectors/sessions/{id}/complete</c>: a paragraph or a page, not a log.</summary>
    public const int MaxSummaryLength = 65_536;

    /// <summary>The earliest <c>emitted_at</c> / <c>observed_at</c>: no agent log predates it.</summary>
    public static readonly DateTimeOffset MinTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far after the server's clock an <c>emitted_at</c> / <c>observed_at</c> may be (clock skew).</summary>
    public static readonly TimeSpan MaxTimestampLead = TimeSpan.FromHours(24);

    /// <summary>
    /// The <c>token_usage</c> fields that are counted and must be integers 0..<see cref="MaxTokenCount"/>: the
    /// protocol's names, the older cache names, and every other count the parsers emit. One line per field;
    /// others (<c>total_tokens</c>, <c>service_tier</c>...) are ignored.
    /// </summary>
    public static readonly IReadOnlyList<string> TokenUsageFields =
    [
        UsageFields.InputTokens,
        UsageFields.OutputTokens,
        UsageFields.CacheCreationInputTokens,
        UsageFields.CacheReadInputTokens,
        UsageFields.CacheCreation1hInputTokens,
        UsageFields.CacheCreationTokens,
        UsageFields.CacheReadTokens,
        UsageFields.ReasoningOutputTokens,
    ];

    /// <summary>Event data fields capped at <see cref="MaxShortTextLength"/> (session_id is capped on the batch).</summary>
    public static readonly IReadOnlyList<string> ShortTextFields =
    [
        EventFields.ToolUseId, EventFields.ToolName, EventFields.Model, EventFields.ApiMessageId, EventFields.RequestId,
        EventFields.AgentType, EventFields.AgentVersion, EventFields.GitBranch, EventFields.Developer, EventFields.Hostname,
    ];

    /// <summary>
    /// Event data fields capped at <see cref="MaxPathLength"/>: the working directory (<c>cwd</c> is the name the
    /// server also reads it under).
    /// </summary>
    public static readonly IReadOnlyList<string> PathFields = [EventFields.WorkingDirectory, EventFields.Cwd];
}
