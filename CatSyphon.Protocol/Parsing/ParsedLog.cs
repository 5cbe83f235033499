namespace CatSyphon.Protocol.Parsing;

/// <summary>
/// A parser for one agent's session log format (which files are its logs is its <see cref="AgentFormat"/>'s to say). Parsing streams: events and usage go to the
/// <see cref="IParsedLogSink"/> as lines are read, so memory stays flat whatever the file size.
/// </summary>
public interface ISessionLogParser
{
    /// <summary>The agent that writes this format: an <see cref="AgentTypes"/> value.</summary>
    string AgentType { get; }

    /// <summary>
    /// Parses <paramref name="stream"/> (positioned at <see cref="ParseRequest.StartOffset"/>) up to its last
    /// complete line; a partial last line is left for a later call.
    /// </summary>
    ParseSummary Parse(Stream stream, ParseRequest request, IParsedLogSink sink);
}

/// <summary>Receives what a parser finds, in log order.</summary>
public interface IParsedLogSink
{
    /// <summary>A protocol event of session <paramref name="session"/>.</summary>
    void OnEvent(ParsedSessionRef session, ParsedEvent parsedEvent);

    /// <summary>
    /// A protocol event as the parser built it: <paramref name="hash"/> is the SHA-256 digest and <paramref name="data"/>
    /// the data's UTF-8 JSON, both in the parser's buffer and valid only during the call. A sink that keeps
    /// no event (one that only counts) overrides this to spare the copies; the rest receive a <see cref="ParsedEvent"/>.
    /// </summary>
    void OnEvent(ParsedSessionRef session, string type, DateTimeOffset emittedAt, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> data) =>
        OnEvent(session, new ParsedEvent(type, emittedAt, Convert.ToHexStringLower(hash), data.ToArray()));

    /// <summary>One API response's token usage (the same response may be reported again from other lines or files).</summary>
    void OnUsage(TokenUsageRecord usage);
}

/// <summary>Which session an event belongs to; sub-agent sessions name their parent.</summary>
public sealed record ParsedSessionRef(string SessionId, string? ParentSessionId);

/// <summary>Where to start in a file.</summary>
public sealed record ParseRequest(string Path, long StartOffset = 0);

/// <summary>What one parse call read.</summary>
public sealed record ParseSummary(
    string AgentType,
    long EndOffset,
    int Lines,
    int MalformedLines,
    IReadOnlyList<string> Warnings);

/// <summary>
/// A collector protocol event. <see cref="EventHash"/> is derived from the log content, so re-parsing a
/// file (after a truncation, or on another machine) never creates duplicates on the server.
/// <see cref="Data"/> is the event's <c>data</c> object as UTF-8 JSON, ready to be written into a request as it is.
/// </summary>
public sealed record ParsedEvent(string Type, DateTimeOffset EmittedAt, string EventHash, byte[] Data)
{
    /// <summary>The data as JSON text.</summary>
    public string DataJson => System.Text.Encoding.UTF8.GetString(Data);

    /// <summary>Events are equal when all they say is equal, the data bytes included.</summary>
    public bool Equals(ParsedEvent? other) =>
        other is not null && Type == other.Type && EmittedAt == other.EmittedAt && EventHash == other.EventHash
        && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Type, EmittedAt, EventHash);
}

/// <summary>
/// One API response's token usage. <see cref="DedupKey"/> identifies the response across lines and files
/// (message id + request id); when the same key is seen more than once the copy with the larger total
/// wins, and a main-session copy beats a sub-agent copy (see <see cref="TokenLedger"/>).
/// <see cref="CacheCreationTokens"/> counts every cache write; <see cref="CacheCreation1hTokens"/> is the part of it
/// written to the 1-hour cache (the rest went to the 5-minute cache), which is billed at a higher rate.
/// <see cref="Fast"/>: the response was made in fast mode (Claude Code's <c>"speed": "fast"</c>), billed at a multiple.
/// </summary>
public sealed record TokenUsageRecord(
    string DedupKey,
    string SessionId,
    string? Model,
    DateTimeOffset Timestamp,
    long InputTokens,
    long OutputTokens,
    long CacheCreationTokens,
    long CacheReadTokens,
    bool FromSubAgent)
{
    public long CacheCreation1hTokens { get; init; }

    public bool Fast { get; init; }

    public long Total => InputTokens + OutputTokens + CacheCreationTokens + CacheReadTokens;
}

public static class AgentTypes
{
    public const string ClaudeCode = "claude-code";
    public const string Codex = "codex";
    public const string GeminiCli = "gemini-cli";
    public const string Aider = "aider";

    /// <summary>Cursor (IDE chats and composers, the cursor-agent CLI, agent transcripts): aiobscura's name for it.</summary>
    public const string Cursor = "cursor";
}
