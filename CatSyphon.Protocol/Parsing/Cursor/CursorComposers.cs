using System.Text.Json;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// The modern layout (2025–): <c>cursorDiskKV</c> of the global database, one <c>composerData:&lt;composerId&gt;</c> per
/// composer and one <c>bubbleId:&lt;composerId&gt;:&lt;bubbleId&gt;</c> per message (<see cref="CursorComposer"/> reads
/// them). Only the composers stamped at or after the read's mark are loaded: SQLite picks them by the stamp inside their
/// JSON, so an unchanged database costs one pass over its composer rows and no JSON in .NET.
/// </summary>
internal static class CursorComposers
{
    private const string Table = "cursorDiskKV";

    // A value's stamp: lastUpdatedAt, else createdAt, when it is a number; 0 for anything else (not JSON, a string…), so a
    // hostile row is read once (and warned about) rather than on every read.
    private static readonly string DueComposers = $"""
        SELECT key, {CursorDatabase.BoundedValue}, stamp FROM (
          SELECT key, value, CASE WHEN json_valid(CAST(value AS TEXT)) THEN
              CASE WHEN json_type(CAST(value AS TEXT), '$.lastUpdatedAt') IN ('integer', 'real') THEN json_extract(CAST(value AS TEXT), '$.lastUpdatedAt')
                   WHEN json_type(CAST(value AS TEXT), '$.createdAt') IN ('integer', 'real') THEN json_extract(CAST(value AS TEXT), '$.createdAt')
                   ELSE 0 END
            ELSE 0 END AS stamp
          FROM {Table} WHERE key >= 'composerData:' AND key < 'composerData;')
        WHERE stamp >= $mark OR $mark = 0
        ORDER BY key
        """;

    public static void Read(CursorDatabase database, CursorRead read)
    {
        if (!database.HasTable(Table))
        {
            return;
        }

        using var command = database.Command(DueComposers);
        command.Parameters.AddWithValue("$mark", read.StartMark);
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var key = rows.GetString(0);
            using var composer = read.Json(CursorDatabase.ReadValue(rows, 1, out var oversized), oversized, key);
            if (composer is null || composer.RootElement.ValueKind != JsonValueKind.Object)
            {
                if (composer is not null)
                {
                    read.Bad($"{key}: not a JSON object");
                }

                continue;
            }

            CursorComposer.Read(composer.RootElement, read, folder: null,
                (composerId, bubbleId) => Bubble(database, read, composerId, bubbleId));
        }
    }

    private static JsonDocument? Bubble(CursorDatabase database, CursorRead read, string composerId, string bubbleId)
    {
        var key = $"bubbleId:{composerId}:{bubbleId}";
        return read.Json(database.Value(Table, key, out var oversized), oversized, key);
    }
}
