using System.Text.Json;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// A cursor-agent CLI chat, <c>chats/&lt;workspace md5&gt;/&lt;chat id&gt;/store.db</c>: <c>meta['0']</c> is hex-encoded JSON
/// (<c>agentId</c>, <c>name</c>, <c>mode</c>, <c>createdAt</c>, <c>lastUsedModel</c>); <c>blobs</c> holds content-addressed
/// blobs, the messages among them AI-SDK JSON (<c>{"role", "content": [parts]}</c>), the rest protobuf tree nodes.
/// </summary>
/// <remarks>
/// The message order Cursor uses is the tree under <c>latestRootBlobId</c>, whose protobuf schema is not published; blobs
/// are only ever added (their id is their hash), so their insertion order (rowid) is the order they were written in, and
/// that is the order used here. The mark is the highest blob rowid read: a chat with no new blob is not read again; one
/// with new blobs is read whole (the messages it had give the same hashes). No per-message times exist: the <c>i</c>-th
/// message is dated <c>createdAt + i</c> milliseconds.
/// </remarks>
internal static class CursorAgentStore
{
    public static void Read(CursorDatabase database, CursorRead read, string path)
    {
        if (!database.HasTable("meta") || !database.HasTable("blobs"))
        {
            read.Bad("store.db without its meta and blobs tables");
            return;
        }

        using (var count = database.Command("SELECT coalesce(max(rowid), 0) FROM blobs"))
        {
            var highest = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (highest == read.StartMark && highest > 0)
            {
                return;
            }

            read.Done(highest);
        }

        using var meta = read.Json(HexValue(database, read), false, "store.db meta");
        var root = meta?.RootElement ?? default;
        var folderId = path.Split('/', '\\')[^2];
        var id = Text(root, "agentId") is { Length: > 0 and <= ProtocolLimits.MaxSessionIdLength } agentId ? agentId : folderId;
        var start = CursorTime.Milliseconds(root, "createdAt") is { } created ? CursorTime.At(created) : read.Fallback;
        var model = Text(root, "lastUsedModel");
        read.Events.StartSession(id, null, start, Text(root, "name"), null, Text(root, "mode") ?? "agent");

        using var blobs = database.Command($"SELECT id, {CursorDatabase.Bounded("data")} FROM blobs ORDER BY rowid");
        using var rows = blobs.ExecuteReader();
        var index = 0;
        while (rows.Read())
        {
            var data = CursorDatabase.ReadValue(rows, 1, out var oversized);
            if (oversized || data is not { Length: > 0 } || data[0] != (byte)'{')
            {
                continue; // a protobuf node of the tree, or too large to be a message
            }

            using var message = read.Json(data, false, $"store.db blob {rows.GetString(0)}");
            if (message?.RootElement is { ValueKind: JsonValueKind.Object } element && Text(element, "role") is { } role)
            {
                var uuid = Text(element, "id") is { Length: > 0 } messageId ? messageId : rows.GetString(0);
                model = ProviderModel(element) ?? model;
                CursorAgentMessage.Write(read.Events, element, role, uuid, start.AddMilliseconds(index++), model);
            }
        }
    }

    /// <summary><c>meta['0']</c> decoded from hex; null when absent or not hex.</summary>
    private static byte[]? HexValue(CursorDatabase database, CursorRead read)
    {
        using var command = database.Command("SELECT CAST(value AS TEXT) FROM meta WHERE key = '0' AND length(value) <= $max");
        command.Parameters.AddWithValue("$max", CursorDatabase.MaxValueBytes);
        if (command.ExecuteScalar() is not string hex)
        {
            read.Bad("store.db meta '0' missing");
            return null;
        }

        try
        {
            return Convert.FromHexString(hex.Trim());
        }
        catch (FormatException)
        {
            read.Bad("store.db meta '0' is not hex");
            return null;
        }
    }

    /// <summary><c>providerOptions.cursor.modelName</c>: the model that wrote an assistant message.</summary>
    private static string? ProviderModel(JsonElement message) =>
        message.TryGetProperty("providerOptions", out var options) && options.ValueKind == JsonValueKind.Object
        && options.TryGetProperty("cursor", out var cursor) ? Text(cursor, "modelName") : null;
}
