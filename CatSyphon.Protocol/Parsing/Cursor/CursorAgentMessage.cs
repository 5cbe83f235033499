using System.Globalization;
using System.Text.Json;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// One message of Cursor's agent, as the cursor-agent CLI's <c>store.db</c> (AI-SDK parts: <c>text</c>, <c>reasoning</c>,
/// <c>tool-call</c>, <c>tool-result</c>) and the agent transcripts (Anthropic-style parts: <c>text</c>, <c>tool_use</c>,
/// <c>tool_result</c>) record it: a user's text is a prompt; an assistant's reasoning is thinking, its text a response,
/// its calls tool calls; a tool message's results are tool results.
/// </summary>
internal static class CursorAgentMessage
{
    public static void Write(CursorEventWriter events, JsonElement message, string role, string uuid, DateTimeOffset at, string? model)
    {
        var content = message.TryGetProperty("content", out var c) ? c : default;
        var text = content.ValueKind == JsonValueKind.String ? SafeString(content) : PartTexts(content, "text");
        switch (role)
        {
            case "user":
                if (!string.IsNullOrEmpty(text))
                {
                    events.Prompt(text, uuid, at, null);
                }

                break;
            case "assistant":
                if (PartTexts(content, "reasoning") is { Length: > 0 } reasoning)
                {
                    events.Thinking(reasoning, at, model);
                }

                events.Response(text, uuid, at, model, null, null);
                break;
        }

        if (content.ValueKind == JsonValueKind.Array)
        {
            Tools(events, content, uuid, at, model);
        }
    }

    private static void Tools(CursorEventWriter events, JsonElement parts, string uuid, DateTimeOffset at, string? model)
    {
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var position = index++;
            var fallbackId = string.Create(CultureInfo.InvariantCulture, $"{uuid}:{position}");
            switch (Text(part, "type"))
            {
                case "tool-call" or "tool_use":
                    var name = Text(part, "toolName") ?? Text(part, "name") ?? "tool";
                    var arguments = part.TryGetProperty("args", out var args) ? args : part.TryGetProperty("input", out var input) ? input : default;
                    events.ToolCall(name, Text(part, "toolCallId") ?? Text(part, "id") ?? fallbackId, arguments, at, model,
                        CursorEdits.EditedFile(name, arguments));
                    break;
                case "tool-result" or "tool_result":
                    var failed = part.TryGetProperty("isError", out var error) && error.ValueKind == JsonValueKind.True;
                    var result = part.TryGetProperty("result", out var r) ? r : part.TryGetProperty("content", out var rc) ? rc : default;
                    events.ToolResult(Text(part, "toolName") ?? Text(part, "name") ?? "tool", Text(part, "toolCallId") ?? Text(part, "tool_use_id") ?? fallbackId,
                        result.ValueKind == JsonValueKind.String ? SafeString(result) : result.ValueKind == JsonValueKind.Undefined ? null : result.GetRawText(),
                        !failed, failed ? "error" : null, at);
                    break;
            }
        }
    }

    /// <summary>The <c>text</c> of the parts of type <paramref name="type"/>, joined; null when there are none.</summary>
    private static string? PartTexts(JsonElement parts, string type)
    {
        if (parts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string? joined = null;
        foreach (var part in parts.EnumerateArray())
        {
            if (Text(part, "type") == type && Text(part, "text") is { Length: > 0 } text)
            {
                joined = joined is null ? text : joined + "\n" + text;
            }
        }

        return joined;
    }
}
