using System.Globalization;
using System.Text.Json;
using CatSyphon.Protocol.Parsing.Aider;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// What an assistant bubble did to the workspace: the agent's tool call (<c>toolFormerData</c>, modern layout) and the
/// edits it suggested as code blocks (<c>codeBlocks</c>, whose fate the composer's <c>codeBlockData</c> records).
/// </summary>
internal static class CursorEdits
{
    // The agent's tools that write a file, and the argument naming it (Cursor's tool names, as third-party readers quote them).
    private static readonly string[] EditTools = ["edit_file", "edit_file_v2", "search_replace", "write", "MultiEdit", "delete_file", "apply_patch", "Write", "Edit", "StrReplace", "Delete"];
    private static readonly string[] PathArguments = ["target_file", "file_path", "relative_workspace_path", "path"];

    private const string SuggestedEditTool = "suggested_edit";

    /// <summary>
    /// <c>toolFormerData</c> → tool_call (<c>rawArgs</c> as JSON when it is JSON, else as text) and, once its
    /// <c>status</c> is final, tool_result with its <c>result</c>.
    /// </summary>
    public static void ToolCall(CursorEventWriter events, JsonElement tool, string bubbleId, DateTimeOffset at, string? model)
    {
        var name = Text(tool, "name");
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        var id = Text(tool, "toolCallId") is { Length: > 0 } callId ? callId : bubbleId + ":tool";
        var (document, parameters) = Arguments(tool);
        using var arguments = document;
        events.ToolCall(name, id, parameters, at, model, EditedFile(name, parameters));

        var status = Text(tool, "status");
        var result = Text(tool, "result");
        if (status is "completed" or "error" or "cancelled" or "rejected" || result is not null)
        {
            var success = status is null or "completed";
            events.ToolResult(name, id, result, success, success ? null : status, at);
        }
    }

    /// <summary>The file a call of one of the agent's editing tools wrote, from its arguments; null for other tools.</summary>
    public static string? EditedFile(string name, JsonElement arguments) =>
        Array.IndexOf(EditTools, name) >= 0 ? FirstText(arguments, PathArguments) : null;

    /// <summary>
    /// Each code block naming a file (<c>uri.fsPath</c>) → a <c>suggested_edit</c> tool call and, when the composer's
    /// <c>codeBlockData</c> records what became of it, a result with that status (<c>accepted</c>, <c>rejected</c>,
    /// <c>outdated</c>, …). Only an accepted block changed the file, so only it carries a <c>file_change</c>.
    /// </summary>
    public static void SuggestedEdits(CursorEventWriter events, JsonElement bubble, string bubbleId, JsonElement composer, DateTimeOffset at, string? model)
    {
        if (!bubble.TryGetProperty("codeBlocks", out var blocks) || blocks.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            var position = index++;
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("uri", out var uri) || Text(uri, "fsPath") is not { Length: > 0 } path)
            {
                continue;
            }

            var version = block.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 0;
            var blockIndex = block.TryGetProperty("codeBlockIdx", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var k) ? k : position;
            var id = string.Create(CultureInfo.InvariantCulture, $"{bubbleId}:{blockIndex}");
            var status = Status(composer, Text(uri, "external"), version);
            events.ToolCall(SuggestedEditTool, id, w =>
            {
                w.WriteStartObject();
                w.WriteString(FileFields.Path, AiderText.Bounded(path, ProtocolLimits.MaxPathLength));
                w.WriteNumber("version", version);
                w.WriteEndObject();
            }, at, model, status == "accepted" ? path : null);
            if (status is not null)
            {
                var success = status is not ("rejected" or "cancelled");
                events.ToolResult(SuggestedEditTool, id, status, success, success ? null : status, at);
            }
        }
    }

    /// <summary>The <c>status</c> the composer's <c>codeBlockData[uri]</c> records for the block of this version.</summary>
    private static string? Status(JsonElement composer, string? uri, int version)
    {
        if (uri is null || !composer.TryGetProperty("codeBlockData", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty(uri, out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number
                && v.TryGetInt32(out var n) && n == version)
            {
                return Text(entry, "status");
            }
        }

        return null;
    }

    /// <summary>
    /// <c>rawArgs</c>: a JSON string parsed (the document to dispose comes along), any other value as it is, text that is
    /// not JSON as a string.
    /// </summary>
    private static (JsonDocument? Document, JsonElement Value) Arguments(JsonElement tool)
    {
        if (!tool.TryGetProperty("rawArgs", out var raw) || raw.ValueKind != JsonValueKind.String)
        {
            return (null, raw);
        }

        try
        {
            var document = JsonDocument.Parse(SafeString(raw) ?? "");
            return (document, document.RootElement);
        }
        catch (JsonException)
        {
            return (null, raw);
        }
    }

    private static string? FirstText(JsonElement element, string[] names)
    {
        foreach (var name in names)
        {
            if (Text(element, name) is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }
}
