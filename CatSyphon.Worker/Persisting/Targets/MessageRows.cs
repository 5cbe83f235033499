namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>
/// The <c>messages</c> rows of the staged events, <c>ON CONFLICT (conversation_id, event_hash) DO NOTHING</c>: the unique
/// index is the truth, so an event persisted twice is inserted once. What was inserted lands in <c>t_new</c>.
/// </summary>
internal static class MessageRows
{
    private const string InsertSql = """
        WITH inserted AS (
            INSERT INTO messages (conversation_id, sequence, event_hash, event_type, role, message_type, content, thinking, model,
                                  input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, api_message_id, request_id,
                                  uuid, parent_uuid, stop_reason, raw_data, emitted_at, observed_at, received_at)
            SELECT conversation_id, sequence, event_hash, event_type, role, message_type, content, thinking, model,
                   input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, api_message_id, request_id,
                   uuid, parent_uuid, stop_reason, raw_data, emitted_at, observed_at, received_at
            FROM t_events
            ORDER BY conversation_id, sequence
            ON CONFLICT (conversation_id, event_hash) DO NOTHING
            RETURNING id, conversation_id, event_hash)
        INSERT INTO t_new (id, conversation_id, event_hash) SELECT id, conversation_id, event_hash FROM inserted
        """;

    // The search documents of the newly stored events that carry text (what was said and thought), with their
    // conversation's workspace, the first column of the search indexes.
    private const string InsertSearchVectorsSql = $"""
        INSERT INTO message_search (message_id, conversation_id, workspace_id, search_vector)
        SELECT m.id, m.conversation_id, c.workspace_id, {MessageSearch.VectorSql}
        FROM t_new n JOIN messages m ON m.id = n.id JOIN conversations c ON c.id = n.conversation_id
        WHERE m.content IS NOT NULL OR m.thinking IS NOT NULL
        """;

    private const string CountNewSql = "SELECT count(*) FROM t_new";

    private const string SelectNewLifecycleEventsSql = """
        SELECT n.conversation_id, n.event_hash
        FROM t_new n
        JOIN t_events e ON e.conversation_id = n.conversation_id AND e.event_hash = n.event_hash
        WHERE e.event_type IN ('session_start', 'session_end', 'tool_call')
        """;

    public static void AddInserts(NpgsqlBatch batch)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertSearchVectorsSql));
    }

    /// <summary>Two results: how many events were inserted, then the (conversation, event hash) of the new lifecycle events.</summary>
    public static void AddNewEventQueries(NpgsqlBatch batch)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand(CountNewSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SelectNewLifecycleEventsSql));
    }
}
