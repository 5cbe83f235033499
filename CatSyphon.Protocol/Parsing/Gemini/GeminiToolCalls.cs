using System.Text.Json;
using CatSyphon.Protocol.Parsing.Claude;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Gemini;

/// <summary>
/// A <c>ToolCallRecord</c> → tool_call (name, id, <c>args</c>, and <c>file_change</c> for the editing tools) and, once
/// its <c>status</c> is final (<c>success</c>, <c>error</c>, <c>cancelled</c>), tool_result with the
/// <c>functionResponse</c>'s output or error. A call still running has no result yet: the copy of its message the CLI
/// appends when it completes brings it.
/// </summary>
internal static class GeminiToolCalls
{
    /// <summary>
    /// Every call of a turn, then the results of those that finished: a result the CLI records later (the legacy file is
    /// rewritten with it) then adds events after the turn's earlier ones instead of between them, so re-reading the file
    /// numbers the events it had before as before.
    /// </summary>
    public static void Write(GeminiEventWriter events, JsonElement calls, DateTimeOffset turnTimestamp, string? model)
    {
        foreach (var call in calls.EnumerateArray())
        {
            if (Identify(call, turnTimestamp) is var (id, name, timestamp))
            {
                WriteCall(events, call, id, name, timestamp, model);
            }
        }

        foreach (var call in calls.EnumerateArray())
        {
            if (Identify(call, turnTimestamp) is var (id, name, timestamp) && Text(call, "status") is "success" or "error" or "cancelled")
            {
                WriteResult(events, call, id, name, Text(call, "status")!, timestamp);
            }
        }
    }

    /// <summary>A call's id, name and time; null when it lacks an id or a name.</summary>
    private static (string Id, string Name, DateTimeOffset Timestamp)? Identify(JsonElement call, DateTimeOffset turnTimestamp)
    {
        var id = Text(call, "id");
        var name = Text(call, "name");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(name))
        {
            return null;
        }

        return (id, name, call.TryGetProperty("timestamp", out var ts) && ProtocolTimestamp.TryParse(ts, out var parsed) ? parsed : turnTimestamp);
    }

    private static void WriteCall(GeminiEventWriter events, JsonElement call, string id, string name, DateTimeOffset timestamp, string? model)
    {
        var args = call.TryGetProperty("args", out var a) ? a : default;
        var w = events.Start(EventType.ToolCall, timestamp);
        w.WriteString(EventFields.ToolName, name);
        w.WriteString(EventFields.ToolUseId, id);
        w.WritePropertyName(EventFields.Parameters);
        if (args.ValueKind == JsonValueKind.Undefined)
        {
            w.WriteNullValue();
        }
        else
        {
            WriteSafe(w, args);
        }

        WriteFileChange(w, name, args);
        WriteIfPresent(w, EventFields.Model, model);
        events.Finish(EventType.ToolCall, timestamp);
    }

    private static void WriteResult(GeminiEventWriter events, JsonElement call, string id, string name, string status, DateTimeOffset timestamp)
    {
        var (output, error) = Response(call);
        var w = events.Start(EventType.ToolResult, timestamp);
        w.WriteString(EventFields.ToolUseId, id);
        w.WriteString(EventFields.ToolName, name);
        WriteIfPresent(w, EventFields.Result, output ?? GeminiEventWriter.PartsText(call, "resultDisplay"));
        w.WriteBoolean(EventFields.Success, status == "success");
        WriteIfPresent(w, EventFields.ErrorMessage, error ?? (status == "cancelled" ? "cancelled" : null));
        events.Finish(EventType.ToolResult, timestamp);
    }

    /// <summary>The <c>output</c> and <c>error</c> of the result's <c>functionResponse</c> parts (strings, or JSON text of other values).</summary>
    private static (string? Output, string? Error) Response(JsonElement call)
    {
        if (!call.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Array)
        {
            return (null, null);
        }

        string? output = null, error = null;
        foreach (var part in result.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("functionResponse", out var response)
                && response.ValueKind == JsonValueKind.Object && response.TryGetProperty("response", out var body) && body.ValueKind == JsonValueKind.Object)
            {
                output ??= Text(body, "output");
                error ??= Text(body, "error");
            }
        }

        return (output, error);
    }

    /// <summary>The file an editing tool wrote: <c>write_file</c> (kind <c>write</c>) or <c>replace</c>/<c>edit</c> (kind <c>edit</c>), with line counts as Claude's are counted.</summary>
    private static void WriteFileChange(Utf8JsonWriter w, string name, JsonElement args)
    {
        var kind = name switch
        {
            "write_file" => "write",
            "replace" or "edit" => "edit",
            _ => null,
        };
        if (kind is null || Text(args, "file_path") is not { Length: > 0 and <= ProtocolLimits.MaxPathLength } path)
        {
            return;
        }

        w.WriteStartObject(EventFields.FileChange);
        w.WriteString(FileFields.Path, path);
        w.WriteString(FileFields.Kind, kind);
        w.WriteNumber(FileFields.LinesAdded, ToolFacts.Lines(args, kind == "write" ? "content"u8 : "new_string"u8));
        w.WriteNumber(FileFields.LinesDeleted, kind == "write" ? 0 : ToolFacts.Lines(args, "old_string"u8));
        w.WriteEndObject();
    }
}
