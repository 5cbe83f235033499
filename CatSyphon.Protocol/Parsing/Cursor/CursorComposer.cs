using System.Text.Json;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// One composer as a session, in either layout: the old layout's entry of <c>composer.composerData</c> with its
/// <c>conversation</c> inline, or a modern <c>composerData:&lt;id&gt;</c> whose <c>fullConversationHeadersOnly</c> names
/// its bubbles in order (each from its inline <c>conversationMap</c> entry, else read with <c>bubbleLoader</c>), falling
/// back to an inline <c>conversation</c> when it has no headers. Bubbles: <c>type</c> 1 a prompt, 2 the assistant's (text, <c>thinking</c>, a tool call in
/// <c>toolFormerData</c>, <c>tokenCount</c>, and <c>codeBlocks</c>: edits it suggested, see <see cref="CursorEdits"/>).
/// </summary>
internal static class CursorComposer
{
    private const int User = 1;
    private const int Assistant = 2;

    /// <summary>Whether the composer holds a conversation (a modern workspace DB's entries are headers only).</summary>
    public static bool HasConversation(JsonElement composer) =>
        IsArray(composer, "fullConversationHeadersOnly") || IsArray(composer, "conversation");

    /// <summary>Reads the composer when it changed since the read's mark.</summary>
    public static void Read(JsonElement composer, CursorRead read, string? folder, Func<string, string, JsonDocument?>? bubbleLoader)
    {
        var id = Text(composer, "composerId");
        if (id is not { Length: > 0 and <= ProtocolLimits.MaxSessionIdLength })
        {
            read.Bad("composer without a usable composerId skipped");
            return;
        }

        var created = CursorTime.Milliseconds(composer, "createdAt");
        var stamp = CursorTime.Milliseconds(composer, "lastUpdatedAt") ?? created ?? 0;
        if (!read.IsDue(stamp))
        {
            return;
        }

        if (Text(composer, "status") == "generating")
        {
            read.Hold(stamp);
            return;
        }

        var start = created is { } c ? CursorTime.At(c) : stamp > 0 ? CursorTime.At(stamp) : read.Fallback;
        var model = composer.TryGetProperty("modelConfig", out var config) ? Text(config, "modelName") : null;
        read.Events.StartSession(id, null, start, Text(composer, "name"), WorkspacePath(composer) ?? folder,
            Text(composer, "unifiedMode") ?? Text(composer, "forceMode") ?? "composer");
        Walk(composer, new Turns(read, id, start, model, composer), bubbleLoader is null ? null : bubbleId => bubbleLoader(id, bubbleId));
        read.Done(stamp);
    }

    /// <summary>The composer's bubbles in order: by its headers when it has any (and a way to load them), else its inline conversation.</summary>
    private static void Walk(JsonElement composer, Turns state, Func<string, JsonDocument?>? bubbleLoader)
    {
        if (bubbleLoader is not null && IsArray(composer, "fullConversationHeadersOnly") && composer.GetProperty("fullConversationHeadersOnly").GetArrayLength() > 0)
        {
            var inline = composer.TryGetProperty("conversationMap", out var map) && map.ValueKind == JsonValueKind.Object ? map : default;
            foreach (var header in composer.GetProperty("fullConversationHeadersOnly").EnumerateArray())
            {
                if (Text(header, "bubbleId") is not { Length: > 0 } bubbleId)
                {
                    continue;
                }

                if (inline.ValueKind == JsonValueKind.Object && inline.TryGetProperty(bubbleId, out var mapped))
                {
                    state.Bubble(mapped, bubbleId);
                    continue;
                }

                using var bubble = bubbleLoader(bubbleId);
                state.Bubble(bubble?.RootElement ?? default, bubbleId);
            }
        }
        else if (IsArray(composer, "conversation"))
        {
            foreach (var bubble in composer.GetProperty("conversation").EnumerateArray())
            {
                state.Bubble(bubble, Text(bubble, "bubbleId"));
            }
        }
    }

    /// <summary>The newer composers' own workspace: <c>workspaceIdentifier.uri.fsPath</c>.</summary>
    private static string? WorkspacePath(JsonElement composer) =>
        composer.TryGetProperty("workspaceIdentifier", out var workspace) && workspace.ValueKind == JsonValueKind.Object
        && workspace.TryGetProperty("uri", out var uri) ? Text(uri, "fsPath") : null;

    private static bool IsArray(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array;

    /// <summary>Walks a composer's bubbles in order, dating each and carrying the model the user last chose.</summary>
    private sealed class Turns(CursorRead read, string composerId, DateTimeOffset start, string? model, JsonElement composer)
    {
        private int _index;
        private DateTimeOffset _last = DateTimeOffset.MinValue;

        public void Bubble(JsonElement bubble, string? bubbleId)
        {
            var index = _index++;
            if (bubble.ValueKind != JsonValueKind.Object || bubbleId is not { Length: > 0 })
            {
                read.Bad($"composer {composerId}: bubble {index} is not a message object");
                return;
            }

            // Its own time when it has one (modern bubbles, unreliably), else its place after the composer's start.
            var at = CursorTime.Of(bubble, "createdAt")
                ?? (bubble.TryGetProperty("timingInfo", out var timing) ? CursorTime.Of(timing, "clientRpcSendTime") : null)
                ?? start.AddMilliseconds(index);
            _last = at = at < _last ? _last : at;
            var type = bubble.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var n) ? n : 0;
            var text = Text(bubble, "text");
            if (type == User)
            {
                model = bubble.TryGetProperty("modelInfo", out var info) ? Text(info, "modelName") ?? model : model;
                if (!string.IsNullOrEmpty(text))
                {
                    read.Events.Prompt(text, bubbleId, at, model);
                }
            }
            else if (type == Assistant)
            {
                AssistantBubble(bubble, bubbleId, text, at);
            }
        }

        private void AssistantBubble(JsonElement bubble, string bubbleId, string? text, DateTimeOffset at)
        {
            if (bubble.TryGetProperty("thinking", out var thinking) && Text(thinking, "text") is { Length: > 0 } thought)
            {
                read.Events.Thinking(thought, at, model);
            }

            read.Events.Response(text, bubbleId, at, model, Text(bubble, "requestId"), Tokens(bubble));
            if (bubble.TryGetProperty("toolFormerData", out var tool) && tool.ValueKind == JsonValueKind.Object)
            {
                CursorEdits.ToolCall(read.Events, tool, bubbleId, at, model);
            }

            CursorEdits.SuggestedEdits(read.Events, bubble, bubbleId, composer, at, model);
        }

        /// <summary><c>tokenCount</c> when it counts anything (Cursor often leaves it at zeros).</summary>
        private static (long, long)? Tokens(JsonElement bubble)
        {
            if (!bubble.TryGetProperty("tokenCount", out var count) || count.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var input = Count(count, "inputTokens");
            var output = Count(count, "outputTokens");
            return input + output > 0 ? (input, output) : null;
        }

        private static long Count(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)
                ? Math.Clamp(n, 0, ProtocolLimits.MaxTokenCount)
                : 0;
    }
}
