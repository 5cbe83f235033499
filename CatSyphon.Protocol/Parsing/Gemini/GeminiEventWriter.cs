using System.Globalization;
using System.Text.Json;
using CatSyphon.Protocol.Parsing.Claude;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Gemini;

/// <summary>
/// Turns Gemini CLI records (the session's metadata and its <c>MessageRecord</c>s, the same in both layouts) into
/// protocol events and token usage. Every event is hashed over what it says (type, the message's own timestamp, data),
/// so the copy of a message the CLI appends again, or the same file read again, gives the same events.
/// </summary>
internal sealed class GeminiEventWriter(IParsedLogSink sink, Action<string> warn) : IDisposable
{
    private readonly ContentHashedEventWriter _events = new();
    private ParsedSessionRef _session = new("", null);
    private DateTimeOffset _lastTimestamp = DateTimeOffset.UnixEpoch;

    /// <summary>The session the next events belong to (a sub-agent's names its parent).</summary>
    public void SetSession(string sessionId, string? parentSessionId) => _session = new ParsedSessionRef(sessionId, parentSessionId);

    /// <summary>session_start from the metadata record (<c>sessionId</c>, <c>projectHash</c>, <c>startTime</c>, <c>kind</c>).</summary>
    public void WriteSessionStart(JsonElement metadata)
    {
        var timestamp = TimestampOf(metadata, "startTime");
        var w = Start(EventType.SessionStart, timestamp);
        w.WriteString(EventFields.AgentType, AgentTypes.GeminiCli);
        WriteIfPresent(w, EventFields.ParentSessionId, _session.ParentSessionId);
        WriteIfPresent(w, EventFields.ProjectHash, Text(metadata, "projectHash"));
        WriteIfPresent(w, EventFields.Kind, Text(metadata, "kind"));
        Finish(EventType.SessionStart, timestamp);
    }

    /// <summary>
    /// The session's <c>summary</c> (the title the CLI generates), as the agent's own summary record: a system/summary
    /// message without a uuid, which the server takes for the session's title.
    /// </summary>
    public void WriteSummary(string summary)
    {
        var w = Start(EventType.Message, _lastTimestamp);
        w.WriteMessageKind(AuthorRole.System, MessageType.Summary);
        w.WriteString(EventFields.Content, summary);
        Finish(EventType.Message, _lastTimestamp);
    }

    /// <summary>A <c>/rewind</c>: the messages from <paramref name="messageId"/> on were deleted from the session.</summary>
    public void WriteRewind(string messageId)
    {
        var w = Start(EventType.Metadata, _lastTimestamp);
        w.WriteString(EventFields.Kind, "rewind");
        w.WriteString(EventFields.Uuid, messageId);
        Finish(EventType.Metadata, _lastTimestamp);
    }

    /// <summary>The events of one message: a prompt, or the model's thoughts, text, usage, tool calls and results, or a CLI notice.</summary>
    public void WriteMessage(JsonElement message)
    {
        var timestamp = TimestampOf(message, "timestamp");
        var id = Text(message, "id");
        switch (Text(message, "type"))
        {
            case "user":
                var prompt = PartsText(message, "displayContent") ?? PartsText(message, "content");
                if (!string.IsNullOrEmpty(prompt))
                {
                    var w = Start(EventType.Message, timestamp);
                    w.WriteMessageKind(AuthorRole.Human, MessageType.Prompt);
                    w.WriteString(EventFields.Content, prompt);
                    WriteIfPresent(w, EventFields.Uuid, id);
                    Finish(EventType.Message, timestamp);
                }

                break;
            case "gemini":
                WriteModelTurn(message, timestamp, id);
                break;
            case "error":
                var error = Start(EventType.Error, timestamp);
                WriteIfPresent(error, EventFields.Message, PartsText(message, "content"));
                WriteIfPresent(error, EventFields.Uuid, id);
                Finish(EventType.Error, timestamp);
                break;
            case var other:
                // info, warning and kinds to come: CLI notices, kept as context.
                var notice = Start(EventType.Metadata, timestamp);
                notice.WriteString(EventFields.Kind, other ?? "unknown");
                WriteIfPresent(notice, EventFields.Content, PartsText(message, "content"));
                WriteIfPresent(notice, EventFields.Uuid, id);
                Finish(EventType.Metadata, timestamp);
                break;
        }
    }

    private void WriteModelTurn(JsonElement message, DateTimeOffset timestamp, string? id)
    {
        var model = Text(message, "model");
        if (message.TryGetProperty("thoughts", out var thoughts) && thoughts.ValueKind == JsonValueKind.Array)
        {
            foreach (var thought in thoughts.EnumerateArray())
            {
                WriteThought(thought, timestamp, model);
            }
        }

        var usage = id is null ? null : GeminiTokens.Read(message, warn);
        var text = PartsText(message, "content");
        if (!string.IsNullOrEmpty(text) || usage is not null)
        {
            // A turn of tool calls only has no text: its usage still needs an event to ride on.
            var hasText = !string.IsNullOrEmpty(text);
            var type = hasText ? EventType.Message : EventType.Metadata;
            var w = Start(type, timestamp);
            if (hasText)
            {
                w.WriteMessageKind(AuthorRole.Assistant, MessageType.Response);
                w.WriteString(EventFields.Content, text);
            }
            else
            {
                w.WriteString(EventFields.Kind, "usage");
            }

            WriteIfPresent(w, EventFields.Model, model);
            WriteIfPresent(w, EventFields.Uuid, id);
            if (usage is { } tokens)
            {
                WriteUsage(w, tokens, id!, model, timestamp);
            }

            Finish(type, timestamp);
        }

        if (message.TryGetProperty("toolCalls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            GeminiToolCalls.Write(this, calls, timestamp, model);
        }
    }

    private void WriteThought(JsonElement thought, DateTimeOffset turnTimestamp, string? model)
    {
        var subject = Text(thought, "subject");
        var description = Text(thought, "description");
        var text = string.IsNullOrEmpty(subject) ? description : string.IsNullOrEmpty(description) ? subject : subject + "\n\n" + description;
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var timestamp = thought.ValueKind == JsonValueKind.Object && thought.TryGetProperty("timestamp", out var ts)
            && ProtocolTimestamp.TryParse(ts, out var parsed) ? parsed : turnTimestamp;
        var w = Start(EventType.Thinking, timestamp);
        w.WriteString(EventFields.Content, text);
        WriteIfPresent(w, EventFields.Model, model);
        Finish(EventType.Thinking, timestamp);
    }

    private void WriteUsage(Utf8JsonWriter w, GeminiTokens tokens, string messageId, string? model, DateTimeOffset timestamp)
    {
        // One response per message id: the copy the CLI appends again carries the same key, so it is counted once.
        var key = string.Create(CultureInfo.InvariantCulture, $"gemini:{_session.SessionId}:{messageId}");
        var record = tokens.ToRecord(key, _session.SessionId, model, timestamp, _session.ParentSessionId is not null);
        sink.OnUsage(record);
        w.WriteTokenUsage(record, tokens.Thoughts);
    }

    /// <summary>Starts an event's data (for <see cref="GeminiToolCalls"/> too); end it with <see cref="Finish"/>.</summary>
    internal Utf8JsonWriter Start(EventType type, DateTimeOffset timestamp)
    {
        _events.SetTimestamp(timestamp);
        return _events.Start(WireName.Of(type));
    }

    internal void Finish(EventType type, DateTimeOffset timestamp) => _events.Finish(WireName.Of(type), timestamp, _session, sink);

    /// <summary>A record's timestamp; without a readable one, the last one seen (a message is never dated before its predecessor).</summary>
    private DateTimeOffset TimestampOf(JsonElement record, string name)
    {
        if (record.TryGetProperty(name, out var value) && ProtocolTimestamp.TryParse(value, out var parsed))
        {
            _lastTimestamp = parsed;
        }

        return _lastTimestamp;
    }

    /// <summary>A <c>PartListUnion</c>'s text: a string, a part <c>{"text"}</c>, or an array of strings and parts (other parts carry no text).</summary>
    internal static string? PartsText(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => SafeString(value),
            JsonValueKind.Object => Text(value, "text"),
            _ => JoinTexts(value, "text", "\n"),
        };
    }

    public void Dispose() => _events.Dispose();
}
