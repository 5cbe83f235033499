namespace CatSyphon.Worker.Insights;

/// <summary>
/// Reads the <see cref="SessionView"/> of one conversation in one round trip, bounded whatever the session's size: the
/// first and last <see cref="InsightOptions.RowsPerEnd"/> messages and tool calls (the task is stated at the start, the
/// outcome shows at the end), at most <see cref="FileLimit"/> files, and a few hundred characters of each text (the
/// start of a message, the end of a tool result, where test runners print their summary).
/// </summary>
internal static class SessionViewQuery
{
    public const int FileLimit = 500;

    private const int MessageChars = 400;
    private const int InputChars = 300;
    private const int ResultChars = 400;

    private static readonly string ConversationSql = """
        SELECT status, outcome, working_directory, started_at, last_event_at, event_count FROM conversations WHERE id = $1
        """;

    // Each end is cut to its snippets inside its own subquery, so the UNION that drops the rows both ends share compares
    // and carries a few hundred characters per row, never a whole message or tool result.
    private static readonly string MessagesSql = $"""
        SELECT sequence, role, message_type, content FROM (
            (SELECT sequence, role, message_type, left(coalesce(content, ''), {MessageChars}) AS content FROM messages
             WHERE conversation_id = $1 AND event_type = 'message' ORDER BY sequence LIMIT $2)
            UNION
            (SELECT sequence, role, message_type, left(coalesce(content, ''), {MessageChars}) FROM messages
             WHERE conversation_id = $1 AND event_type = 'message' ORDER BY sequence DESC LIMIT $2)) ends
        ORDER BY sequence
        """;

    private static readonly string ToolCallSnippet = $"""
        id, message_id, coalesce(tool_name, 'unknown') AS tool_name,
        left(coalesce(parameters->>'command', parameters->>'cmd', parameters->>'file_path', parameters->>'path',
                      parameters->>'pattern', parameters->>'input', parameters::text, ''), {InputChars}) AS input,
        success IS FALSE AS failed,
        right(concat_ws(' ', error_message, result), {ResultChars}) AS result
        """;

    // A tool call's sequence is its call event's; a result that came without its call sorts by its row id.
    private static readonly string ToolCallsSql = $"""
        SELECT coalesce(m.sequence, 0), t.tool_name, t.input, t.failed, t.result
        FROM (
            (SELECT {ToolCallSnippet} FROM tool_calls WHERE conversation_id = $1 ORDER BY id LIMIT $2)
            UNION
            (SELECT {ToolCallSnippet} FROM tool_calls WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2)) t
        LEFT JOIN messages m ON m.id = t.message_id
        ORDER BY coalesce(m.sequence, 0), t.id
        """;

    private static readonly string FilesSql = $"""
        SELECT path, change_kind FROM files_touched WHERE conversation_id = $1 ORDER BY id LIMIT {FileLimit}
        """;

    /// <summary>The view of conversation <paramref name="conversationId"/> and its event count when read; null when it is gone.</summary>
    public static async Task<(SessionView View, int EventCount)?> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid conversationId, int rowsPerEnd, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Sql.Command(ConversationSql, conversationId));
        batch.BatchCommands.Add(Sql.Command(MessagesSql, conversationId, rowsPerEnd));
        batch.BatchCommands.Add(Sql.Command(ToolCallsSql, conversationId, rowsPerEnd));
        batch.BatchCommands.Add(Sql.Command(FilesSql, conversationId));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var status = WireName.Parse<ConversationStatus>(reader.GetString(0));
        var outcome = reader.IsDBNull(1) ? null : reader.GetString(1);
        var workingDirectory = reader.IsDBNull(2) ? null : reader.GetString(2);
        DateTimeOffset? startedAt = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
        DateTimeOffset? lastEventAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
        var eventCount = reader.GetInt32(5);

        var messages = new List<ViewMessage>();
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new ViewMessage(reader.GetInt64(0), Enum<AuthorRole>(reader, 1), Enum<MessageType>(reader, 2), reader.GetString(3)));
        }

        var toolCalls = new List<ViewToolCall>();
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            toolCalls.Add(new ViewToolCall(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetString(4)));
        }

        var files = new List<ViewFile>();
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            files.Add(new ViewFile(reader.GetString(0), reader.GetString(1)));
        }

        return (new SessionView(status, outcome, workingDirectory, startedAt, lastEventAt, messages, toolCalls, files), eventCount);
    }

    private static TEnum? Enum<TEnum>(NpgsqlDataReader reader, int ordinal) where TEnum : struct, Enum =>
        reader.IsDBNull(ordinal) || !WireName.TryParse<TEnum>(reader.GetString(ordinal), out var value) ? null : value;
}
