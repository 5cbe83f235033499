using System.Text.Json;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// The old layout (2023–2024), all in <c>ItemTable</c>: the Chat pane's tabs
/// (<c>workbench.panel.aichat.view.aichat.chatdata</c>: one session per <c>tabId</c>, bubbles <c>"user"</c>/<c>"ai"</c>,
/// the model per AI bubble) and the Composer's composers with their conversation inline (<c>composer.composerData</c>,
/// <see cref="CursorComposer"/>; in the modern layout the same key holds headers only, which are skipped). Only these
/// keys are read: the global database's <c>ItemTable</c> also holds Cursor's sign-in tokens.
/// </summary>
/// <remarks>
/// <c>aiService.prompts</c> is not read: it repeats the prompts of the tabs and composers without saying which, and
/// without times. A tab's bubbles with no text (the draft Cursor keeps after the last reply) are not messages.
/// </remarks>
internal static class CursorWorkspaceChats
{
    internal const string ChatDataKey = "workbench.panel.aichat.view.aichat.chatdata";
    internal const string ComposerDataKey = "composer.composerData";
    private const string Table = "ItemTable";
    private const int MaxWorkspaceJsonBytes = 64 * 1024;
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;

    public static void Read(CursorDatabase database, CursorRead read, string databasePath)
    {
        if (!database.HasTable(Table))
        {
            return;
        }

        var folder = WorkspaceFolder(databasePath);
        using (var chats = read.Json(database.Value(Table, ChatDataKey, out var oversized), oversized, ChatDataKey))
        {
            foreach (var tab in Items(chats, "tabs"))
            {
                ReadTab(tab, read, folder);
            }
        }

        using var composers = read.Json(database.Value(Table, ComposerDataKey, out var tooLarge), tooLarge, ComposerDataKey);
        foreach (var composer in Items(composers, "allComposers"))
        {
            if (CursorComposer.HasConversation(composer))
            {
                CursorComposer.Read(composer, read, folder, bubbleLoader: null);
            }
        }
    }

    private static void ReadTab(JsonElement tab, CursorRead read, string? folder)
    {
        var id = Text(tab, "tabId");
        if (id is not { Length: > 0 and <= ProtocolLimits.MaxSessionIdLength })
        {
            read.Bad("chat tab without a usable tabId skipped");
            return;
        }

        var stamp = CursorTime.Milliseconds(tab, "lastSendTime") ?? 0;
        if (!read.IsDue(stamp))
        {
            return;
        }

        var bubbles = tab.TryGetProperty("bubbles", out var b) && b.ValueKind == JsonValueKind.Array ? b : EmptyArray;
        var count = bubbles.GetArrayLength();
        var last = stamp > 0 ? CursorTime.At(stamp) : read.Fallback;
        read.Events.StartSession(id, null, last.AddMilliseconds(-Math.Max(0, count - 1)), Text(tab, "chatTitle"), folder, "chat");
        var index = -1;
        foreach (var bubble in bubbles.EnumerateArray())
        {
            index++;
            var at = last.AddMilliseconds(index - (count - 1));
            var uuid = Text(bubble, "id") is { Length: > 0 } bubbleId ? bubbleId : $"{id}:{index}";
            if (Text(bubble, "text") is not { Length: > 0 } text)
            {
                continue;
            }

            switch (Text(bubble, "type"))
            {
                case "user":
                    read.Events.Prompt(text, uuid, at, null);
                    break;
                case "ai":
                    read.Events.Response(text, uuid, at, Text(bubble, "modelType"), Text(bubble, "requestId"), null);
                    break;
            }
        }

        read.Done(stamp);
    }

    /// <summary>The objects of array <paramref name="name"/> of the document's root object (none when it is not there).</summary>
    private static IEnumerable<JsonElement> Items(JsonDocument? document, string name)
    {
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// The workspace's folder, from <c>workspace.json</c> beside the database (<c>{"folder": "file:///…"}</c>); null for the
    /// global database, an upload, or a file that does not say.
    /// </summary>
    private static string? WorkspaceFolder(string databasePath)
    {
        try
        {
            var file = new FileInfo(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? "", "workspace.json"));
            if (!file.Exists || file.Length > MaxWorkspaceJsonBytes)
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(file.FullName));
            return Text(document.RootElement, "folder") is { } folder && Uri.TryCreate(folder, UriKind.Absolute, out var uri)
                ? (uri.IsFile ? uri.LocalPath : folder)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
