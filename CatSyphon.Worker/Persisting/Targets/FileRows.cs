namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>The <c>files_touched</c> rows of new session ends and file-changing tool calls.</summary>
internal static class FileRows
{
    private const string InsertSql = """
        INSERT INTO files_touched (conversation_id, path, change_kind, lines_added, lines_deleted, touched_at)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::timestamptz[])
        """;

    public static void Add(NpgsqlBatch batch, List<(EventRow Row, SessionEndInfo Facts)> sources)
    {
        var files = sources.SelectMany(source => source.Facts.Files.Select(file => (source.Row.ConversationId, File: file))).ToList();
        if (files.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(
                InsertSql,
                files.Select(f => f.ConversationId).ToArray(),
                files.Select(f => f.File.Path).ToArray(),
                files.Select(f => f.File.ChangeKind).ToArray(),
                files.Select(f => f.File.LinesAdded).ToArray(),
                files.Select(f => f.File.LinesDeleted).ToArray(),
                files.Select(f => f.File.TouchedAt).ToArray()));
        }
    }
}
