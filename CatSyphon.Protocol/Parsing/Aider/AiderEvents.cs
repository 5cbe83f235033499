using System.Globalization;
using System.Text;
using System.Text.Json;
using CatSyphon.Protocol.Parsing.Claude;

namespace CatSyphon.Protocol.Parsing.Aider;

/// <summary>
/// The events of the aider session being read. Aider writes one time per session, its start (local clock, to the
/// second, no zone: read as UTC); the n-th event of a session is stamped start + n ms, so events keep their order and
/// a session's events hash the same however the file is read.
/// </summary>
internal sealed class AiderEvents(IParsedLogSink sink, ContentHashedEventWriter writer, List<string> warnings)
{
    public const int MaxWarnings = 5;

    private const string EditTool = "edit";
    private const string CommitTool = "git_commit";
    private const string FileChangeKind = "edit";
    private const string QuitLine = "^C KeyboardInterrupt";

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly StringBuilder _banner = new();
    private ParsedSessionRef? _session;
    private DateTimeOffset _start = Earliest;
    private DateTimeOffset _timestamp;
    private string _type = "";
    private int _ordinal;
    private string? _model;
    private string? _version;
    private string? _workingDirectory;

    /// <summary>While true, events only advance the count (they were sent by an earlier read).</summary>
    public bool Muted { get; set; }

    public bool InSession => _session is not null;

    /// <summary>The session's start-up lines are still being read: its session_start is not sent yet.</summary>
    public bool BannerOpen { get; private set; }

    /// <summary>Where the current session's header starts.</summary>
    public long SessionOffset { get; private set; }

    public void StartSession(string path, long offset, ReadOnlySpan<char> startedAt)
    {
        _session = new ParsedSessionRef(AiderLogParser.SessionId(path, offset), null);
        SessionOffset = offset;
        BannerOpen = true;
        _banner.Clear();
        (_ordinal, _model, _version) = (0, null, null);
        _workingDirectory = Path.GetDirectoryName(path) is { Length: > 0 } folder ? AiderText.Bounded(folder, ProtocolLimits.MaxPathLength) : null;
        if (DateTime.TryParseExact(startedAt, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var started)
            && started >= Earliest.UtcDateTime)
        {
            _start = new DateTimeOffset(started, TimeSpan.Zero);
        }
        else
        {
            // Keep the previous session's time (or 2000-01-01): later in the file is never earlier in time.
            Warn($"session header at byte {offset.ToString(CultureInfo.InvariantCulture)} has no readable time");
        }
    }

    /// <summary>A start-up line (<c>Aider v…</c>, <c>Main model: …</c>, the command line, the git repo): kept in session_start.</summary>
    public void AddBannerLine(string text)
    {
        NoteModel(text);
        if (text.StartsWith("Aider v", StringComparison.Ordinal))
        {
            _version = AiderText.Bounded(text["Aider v".Length..].Trim(), ProtocolLimits.MaxShortTextLength);
        }
        else if (text.StartsWith("Git working dir: ", StringComparison.Ordinal))
        {
            _workingDirectory = AiderText.Bounded(text["Git working dir: ".Length..].Trim(), ProtocolLimits.MaxPathLength);
        }

        if (text.Length > 0)
        {
            AiderText.AppendBounded(_banner.Length > 0 ? _banner.Append('\n') : _banner, text);
        }

        if (text == QuitLine)
        {
            EndBanner(); // aider quit before any input: the session is over, and empty
        }
    }

    /// <summary>The banner is over: the session_start goes out with what it said.</summary>
    public void EndBanner()
    {
        if (!BannerOpen)
        {
            return;
        }

        BannerOpen = false;
        if (Begin(EventType.SessionStart) is not { } w)
        {
            return;
        }

        w.WriteString(EventFields.AgentType, AgentTypes.Aider);
        WriteIfPresent(w, EventFields.AgentVersion, _version);
        WriteIfPresent(w, EventFields.WorkingDirectory, _workingDirectory);
        WriteIfPresent(w, EventFields.Model, _model);
        WriteIfPresent(w, EventFields.Content, _banner.Length > 0 ? _banner.ToString() : null);
        Finish();
    }

    /// <summary><c>Model: x with … format</c> (one model) or <c>Main model: x with …</c>, also after <c>/model</c>: later replies are x's.</summary>
    public void NoteModel(string text)
    {
        var name = text.StartsWith("Main model: ", StringComparison.Ordinal) ? text.AsSpan("Main model: ".Length)
            : text.StartsWith("Model: ", StringComparison.Ordinal) ? text.AsSpan("Model: ".Length)
            : default;
        var with = name.IndexOf(" with ", StringComparison.Ordinal);
        if (!name.Trim().IsEmpty)
        {
            _model = AiderText.Bounded((with > 0 ? name[..with] : name).Trim().ToString(), ProtocolLimits.MaxShortTextLength);
        }
    }

    /// <summary>One line of aider's own output (a prompt and its answer, a notice, an error, a shell command's output).</summary>
    public void Output(string text)
    {
        if (Begin(EventType.Metadata) is not { } w)
        {
            return;
        }

        w.WriteString(EventFields.Kind, "output");
        w.WriteString(EventFields.Content, text);
        Finish();
    }

    /// <summary>What the user typed: a prompt, or a slash command (a tool call named after the command, e.g. <c>/add</c>).</summary>
    public void UserInput(string text, long offset)
    {
        if (!text.StartsWith('/'))
        {
            if (Begin(EventType.Message) is { } message)
            {
                message.WriteMessageKind(AuthorRole.Human, MessageType.Prompt);
                message.WriteString(EventFields.Content, text);
                Finish();
            }

            return;
        }

        var end = text.AsSpan().IndexOfAny(' ', '\n');
        var command = AiderText.Bounded(end < 0 ? text : text[..end], ProtocolLimits.MaxShortTextLength);
        if (Begin(EventType.ToolCall) is { } call)
        {
            call.WriteString(EventFields.ToolName, command);
            call.WriteString(EventFields.ToolUseId, ToolUseId("command", offset));
            call.WriteStartObject(EventFields.Parameters);
            call.WriteString("command", text);
            call.WriteEndObject();
            Finish();
        }
    }

    /// <summary>The model's reply (edit blocks included, as written).</summary>
    public void Reply(string text)
    {
        if (Begin(EventType.Message) is { } w)
        {
            w.WriteMessageKind(AuthorRole.Assistant, MessageType.Response);
            w.WriteString(EventFields.Content, text);
            WriteIfPresent(w, EventFields.Model, _model);
            Finish();
        }
    }

    /// <summary><c>Applied edit to &lt;path&gt;</c>: aider wrote the file (a tool call carrying the file change).</summary>
    public void AppliedEdit(string path, long offset)
    {
        if (path.Length == 0 || Begin(EventType.ToolCall) is not { } w)
        {
            return;
        }

        path = AiderText.Bounded(path, ProtocolLimits.MaxPathLength);
        w.WriteString(EventFields.ToolName, EditTool);
        w.WriteString(EventFields.ToolUseId, ToolUseId(EditTool, offset));
        w.WriteStartObject(EventFields.Parameters);
        w.WriteString(FileFields.Path, path);
        w.WriteEndObject();
        w.WriteStartObject(EventFields.FileChange);
        w.WriteString(FileFields.Path, path);
        w.WriteString(FileFields.Kind, FileChangeKind);
        w.WriteEndObject();
        WriteIfPresent(w, EventFields.Model, _model);
        Finish();
    }

    /// <summary><c>Commit &lt;sha&gt; &lt;message&gt;</c>: aider committed its edit.</summary>
    public void Commit(string sha, string message, long offset)
    {
        if (Begin(EventType.ToolCall) is not { } w)
        {
            return;
        }

        w.WriteString(EventFields.ToolName, CommitTool);
        w.WriteString(EventFields.ToolUseId, ToolUseId(CommitTool, offset));
        w.WriteStartObject(EventFields.Parameters);
        w.WriteString("sha", sha);
        w.WriteString(EventFields.Message, message);
        w.WriteEndObject();
        Finish();
    }

    /// <summary>
    /// A token report: its rounded counts as usage marked approximate, and aider's own costs beside them (never
    /// mixed with the cost CatSyphon prices from the tokens).
    /// </summary>
    public void Usage(AiderTokenReport report, long offset)
    {
        if (Begin(EventType.Metadata) is not { } w)
        {
            return;
        }

        var key = string.Create(CultureInfo.InvariantCulture, $"aider:{_session!.SessionId}@{offset}");
        sink.OnUsage(new TokenUsageRecord(key, _session.SessionId, _model, _timestamp, report.Sent, report.Received, report.CacheWrite, report.CacheHit, FromSubAgent: false));
        w.WriteString(EventFields.Kind, "usage");
        w.WriteStartObject(EventFields.TokenUsage);
        w.WriteNumber(UsageFields.InputTokens, report.Sent);
        w.WriteNumber(UsageFields.OutputTokens, report.Received);
        w.WriteNumber(UsageFields.CacheCreationInputTokens, report.CacheWrite);
        w.WriteNumber(UsageFields.CacheReadInputTokens, report.CacheHit);
        w.WriteEndObject();
        w.WriteString(EventFields.UsageKey, key);
        w.WriteBoolean(EventFields.UsageApproximate, true);
        if (report.MessageCostUsd is { } message && report.SessionCostUsd is { } session)
        {
            w.WriteNumber(EventFields.ReportedCostUsd, message);
            w.WriteNumber(EventFields.ReportedSessionCostUsd, session);
        }

        WriteIfPresent(w, EventFields.Model, _model);
        Finish();
    }

    public void Warn(string message)
    {
        if (warnings.Count < MaxWarnings)
        {
            warnings.Add(message);
        }
    }

    private static string ToolUseId(string kind, long offset) => string.Create(CultureInfo.InvariantCulture, $"{kind}@{offset}");

    /// <summary>Stamps the session's next event; null when muted (the count still moves on).</summary>
    private Utf8JsonWriter? Begin(EventType type)
    {
        _timestamp = _start.AddMilliseconds(_ordinal++);
        if (Muted)
        {
            return null;
        }

        _type = WireName.Of(type);
        writer.SetTimestamp(_timestamp);
        return writer.Start(_type);
    }

    private void Finish() => writer.Finish(_type, _timestamp, _session!, sink);

    private static void WriteIfPresent(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }
}
