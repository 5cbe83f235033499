namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>The <c>tool_calls</c> rows: a call joined with its result by <c>tool_use_id</c>, from newly inserted events only.</summary>
internal static class ToolCallRows
{
    // Either half of a tool call may arrive first: each fills its own columns and keeps the other's.
    private static readonly string UpsertSql = $"""
        INSERT INTO tool_calls AS t (conversation_id, message_id, tool_use_id, tool_name, parameters, result, success, error_message,
                                     called_at, completed_at)
        SELECT e.conversation_id,
               (array_agg(n.id ORDER BY e.sequence) FILTER (WHERE e.event_type = 'tool_call'))[1],
               e.tool_use_id,
               (array_agg(e.tool_name ORDER BY e.sequence) FILTER (WHERE e.event_type = 'tool_call'))[1],
               (array_agg(e.tool_parameters ORDER BY e.sequence) FILTER (WHERE e.event_type = 'tool_call'))[1],
               (array_agg(e.tool_result ORDER BY e.sequence DESC) FILTER (WHERE e.event_type = 'tool_result'))[1],
               (array_agg(e.tool_success ORDER BY e.sequence DESC) FILTER (WHERE e.event_type = 'tool_result'))[1],
               (array_agg(e.tool_error ORDER BY e.sequence DESC) FILTER (WHERE e.event_type = 'tool_result'))[1],
               min(e.emitted_at) FILTER (WHERE e.event_type = 'tool_call'),
               max(e.emitted_at) FILTER (WHERE e.event_type = 'tool_result')
        FROM t_new n
        JOIN t_events e ON e.conversation_id = n.conversation_id AND e.event_hash = n.event_hash
        WHERE e.tool_use_id IS NOT NULL
        GROUP BY e.conversation_id, e.tool_use_id
        ORDER BY 1, 3
        ON CONFLICT (conversation_id, tool_use_id) DO UPDATE SET
            {Sql.IncomingOrStored("EXCLUDED", "t", "message_id", "tool_name", "parameters", "called_at", "result", "success", "error_message", "completed_at")}
        """;

    public static void AddUpsert(NpgsqlBatch batch) => batch.BatchCommands.Add(new NpgsqlBatchCommand(UpsertSql));
}
