using System.Text.Json;
using CatSyphon.Protocol.Parsing.Aider;
using CatSyphon.Protocol.Parsing.Claude;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// Writes Cursor's chats as protocol events. Every event is hashed over its type and data, not its time: Cursor records no
/// time per message before 2025 (and an unreliable one since), so <see cref="CursorTime"/> derives one that may move as
/// a chat grows (a chat tab is dated by its last send), while what a message says, and its id in the data, do not. So a
/// chat read again, whole or after it changed, gives the same hashes for the messages it had, and the server stores each
/// once.
/// </summary>
internal sealed class CursorEventWriter : IDisposable
{
    private readonly ContentHashedEventWriter _events = new();
    private readonly IParsedLogSink _sink;
    private ParsedSessionRef _session = new("", null);

    public CursorEventWriter(IParsedLogSink sink)
    {
        _sink = sink;
        _events.SetTimestamp(DateTimeOffset.UnixEpoch);
    }

    public int Events { get; private set; }

    /// <summary>Starts a session: its session_start, and its title as the agent's own summary (which the server takes for the title).</summary>
    public void StartSession(string sessionId, string? parentSessionId, DateTimeOffset at, string? title, string? workingDirectory, string? kind)
    {
        SetSession(new ParsedSessionRef(sessionId, parentSessionId));
        var w = Start(EventType.SessionStart);
        w.WriteString(EventFields.AgentType, AgentTypes.Cursor);
        WriteIfPresent(w, EventFields.ParentSessionId, parentSessionId);
        WriteIfPresent(w, EventFields.WorkingDirectory, Short(workingDirectory, ProtocolLimits.MaxPathLength));
        WriteIfPresent(w, EventFields.Kind, Short(kind));
        Finish(EventType.SessionStart, at);
        if (!string.IsNullOrWhiteSpace(title))
        {
            var summary = Start(EventType.Message);
            summary.WriteMessageKind(AuthorRole.System, MessageType.Summary);
            summary.WriteString(EventFields.Content, Long(title));
            Finish(EventType.Message, at);
        }
    }

    /// <summary>The session the next events belong to (without a session_start: one read earlier).</summary>
    public void SetSession(ParsedSessionRef session) => _session = session;

    public void Prompt(string text, string uuid, DateTimeOffset at, string? model)
    {
        var w = Start(EventType.Message);
        w.WriteMessageKind(AuthorRole.Human, MessageType.Prompt);
        w.WriteString(EventFields.Content, Long(text));
        w.WriteString(EventFields.Uuid, Short(uuid));
        WriteIfPresent(w, EventFields.Model, Short(model));
        Finish(EventType.Message, at);
    }

    /// <summary>
    /// A reply: a response message when it has text, else (a turn of tool calls only) a <c>usage</c> metadata event when it
    /// carries tokens, which need an event to ride on; nothing when it has neither.
    /// </summary>
    public void Response(string? text, string uuid, DateTimeOffset at, string? model, string? requestId, (long Input, long Output)? tokens)
    {
        var hasText = !string.IsNullOrEmpty(text);
        if (!hasText && tokens is null)
        {
            return;
        }

        var type = hasText ? EventType.Message : EventType.Metadata;
        var w = Start(type);
        if (hasText)
        {
            w.WriteMessageKind(AuthorRole.Assistant, MessageType.Response);
            w.WriteString(EventFields.Content, Long(text!));
        }
        else
        {
            w.WriteString(EventFields.Kind, "usage");
        }

        w.WriteString(EventFields.Uuid, Short(uuid));
        WriteIfPresent(w, EventFields.Model, Short(model));
        WriteIfPresent(w, EventFields.RequestId, Short(requestId));
        if (tokens is var (input, output))
        {
            // One response per bubble: the same bubble read again carries the same key, so it is counted once.
            var record = new TokenUsageRecord($"cursor:{_session.SessionId}:{uuid}", _session.SessionId, Short(model), at, input, output, 0, 0,
                _session.ParentSessionId is not null);
            _sink.OnUsage(record);
            w.WriteTokenUsage(record, 0);
        }

        Finish(type, at);
    }

    public void Thinking(string text, DateTimeOffset at, string? model)
    {
        var w = Start(EventType.Thinking);
        w.WriteString(EventFields.Content, Long(text));
        WriteIfPresent(w, EventFields.Model, Short(model));
        Finish(EventType.Thinking, at);
    }

    /// <summary>A tool call; <paramref name="parameters"/> is copied as it is (repaired), <paramref name="editedFile"/> becomes its <c>file_change</c>.</summary>
    public void ToolCall(string name, string id, JsonElement parameters, DateTimeOffset at, string? model, string? editedFile) =>
        ToolCall(name, id, w => WriteSafe(w, parameters), at, model, editedFile);

    /// <summary>A tool call whose parameters <paramref name="writeParameters"/> writes (one JSON value).</summary>
    public void ToolCall(string name, string id, Action<Utf8JsonWriter> writeParameters, DateTimeOffset at, string? model, string? editedFile)
    {
        var w = Start(EventType.ToolCall);
        w.WriteString(EventFields.ToolName, Short(name));
        w.WriteString(EventFields.ToolUseId, Short(id));
        w.WritePropertyName(EventFields.Parameters);
        writeParameters(w);
        if (editedFile is { Length: > 0 } path)
        {
            w.WriteStartObject(EventFields.FileChange);
            w.WriteString(FileFields.Path, Short(path, ProtocolLimits.MaxPathLength));
            w.WriteString(FileFields.Kind, "edit");
            w.WriteEndObject();
        }

        WriteIfPresent(w, EventFields.Model, Short(model));
        Finish(EventType.ToolCall, at);
    }

    public void ToolResult(string name, string id, string? result, bool success, string? error, DateTimeOffset at)
    {
        var w = Start(EventType.ToolResult);
        w.WriteString(EventFields.ToolUseId, Short(id));
        w.WriteString(EventFields.ToolName, Short(name));
        WriteIfPresent(w, EventFields.Result, result is null ? null : Long(result));
        w.WriteBoolean(EventFields.Success, success);
        WriteIfPresent(w, EventFields.ErrorMessage, error is null ? null : Long(error));
        Finish(EventType.ToolResult, at);
    }

    private Utf8JsonWriter Start(EventType type) => _events.Start(WireName.Of(type));

    private void Finish(EventType type, DateTimeOffset at)
    {
        _events.Finish(WireName.Of(type), at, _session, _sink);
        Events++;
    }

    /// <summary>Text as long as one event may carry (a pasted file, a long reply).</summary>
    private static string Long(string text) => AiderText.Bounded(text, AiderText.MaxChars);

    private static string? Short(string? text, int max = ProtocolLimits.MaxShortTextLength) => text is null ? null : AiderText.Bounded(text, max);

    public void Dispose() => _events.Dispose();
}
