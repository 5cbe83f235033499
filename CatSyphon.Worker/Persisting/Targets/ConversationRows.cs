namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>
/// The set's <c>conversations</c> rows: created <c>ON CONFLICT (workspace_id, session_id) DO NOTHING</c> (a session already
/// stored keeps its id), and their counters moved by the events newly inserted. An erased session (a tombstone in
/// <c>erased_sessions</c>) is never created again: it gets no id, and the set drops its batches.
/// </summary>
internal static class ConversationRows
{
    private const string InsertSql = """
        INSERT INTO conversations (id, workspace_id, collector_id, session_id, status, message_count, tool_call_count, event_count,
                                   last_sequence, persisted_sequence, has_plan, has_errors, created_at, updated_at)
        SELECT u.id, u.workspace_id, (SELECT k.id FROM collectors k WHERE k.id = u.collector_id), u.session_id, 'active',
               0, 0, 0, 0, 0, false, false, u.created_at, u.created_at
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[]) AS u(id, workspace_id, collector_id, session_id, created_at)
        WHERE NOT EXISTS (SELECT 1 FROM erased_sessions e WHERE e.workspace_id = u.workspace_id AND e.session_id = u.session_id)
        ORDER BY u.workspace_id, u.session_id
        ON CONFLICT (workspace_id, session_id) DO NOTHING
        RETURNING id
        """;

    private const string SelectSql = """
        SELECT c.id, c.workspace_id, c.session_id, c.title_source
        FROM conversations c
        JOIN unnest($1::uuid[], $2::text[]) AS u(workspace_id, session_id) ON c.workspace_id = u.workspace_id AND c.session_id = u.session_id
        """;

    // Counts only rows this transaction inserted. A replay matches no row here and changes nothing.
    // persisted_sequence is PersistedProgress's.
    private const string UpdateAggregatesSql = """
        UPDATE conversations c SET
            event_count = c.event_count + a.events,
            message_count = c.message_count + a.messages,
            tool_call_count = c.tool_call_count + a.tool_calls,
            first_event_at = LEAST(c.first_event_at, a.first_event_at),
            last_event_at = GREATEST(c.last_event_at, a.last_event_at),
            last_sequence = GREATEST(c.last_sequence, a.max_sequence),
            has_errors = c.has_errors OR a.has_errors,
            updated_at = now()
        FROM (
            SELECT e.conversation_id,
                   count(n.id)::int AS events,
                   (count(n.id) FILTER (WHERE e.event_type = 'message'))::int AS messages,
                   (count(n.id) FILTER (WHERE e.event_type = 'tool_call'))::int AS tool_calls,
                   min(e.emitted_at) FILTER (WHERE n.id IS NOT NULL) AS first_event_at,
                   max(e.emitted_at) FILTER (WHERE n.id IS NOT NULL) AS last_event_at,
                   max(e.sequence) AS max_sequence,
                   COALESCE(bool_or(e.is_error) FILTER (WHERE n.id IS NOT NULL), false) AS has_errors
            FROM t_events e
            LEFT JOIN t_new n ON n.conversation_id = e.conversation_id AND n.event_hash = e.event_hash
            GROUP BY e.conversation_id
        ) a
        WHERE c.id = a.conversation_id
          AND (a.events > 0 OR a.max_sequence > c.last_sequence)
        """;

    /// <summary>
    /// The transaction's first round trip: the staging tables, the set's advisory locks, then its conversations
    /// created or found.
    /// </summary>
    public static async Task<SetConversations> EnsureAsync(SqlTransaction sql, PersistSet set, CancellationToken cancellationToken)
    {
        var sessions = set.Sessions;
        await using var batch = sql.Batch();
        EventStaging.AddTables(batch);
        ConversationLinks.AddLocks(batch, set.LockKeys);
        batch.BatchCommands.Add(Sql.Command(
            InsertSql,
            sessions.Select(s => s.ProposedId).ToArray(),
            sessions.Select(s => s.WorkspaceId).ToArray(),
            sessions.Select(s => s.CollectorId).ToArray(),
            sessions.Select(s => s.SessionId).ToArray(),
            sessions.Select(s => s.ReceivedAt).ToArray()));
        batch.BatchCommands.Add(Sql.Command(
            SelectSql,
            sessions.Select(s => s.WorkspaceId).ToArray(),
            sessions.Select(s => s.SessionId).ToArray()));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        // The advisory lock query's rows (one per key) come first.
        while (await reader.ReadAsync(cancellationToken))
        {
        }

        var created = new HashSet<Guid>();
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            created.Add(reader.GetGuid(0));
        }

        var ids = new Dictionary<(Guid, string), Guid>();
        var titleSources = new Dictionary<Guid, TitleSource>();
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids[(reader.GetGuid(1), reader.GetString(2))] = reader.GetGuid(0);
            if (!await reader.IsDBNullAsync(3, cancellationToken)
                && WireName.TryParse<TitleSource>(reader.GetString(3), out var titleSource))
            {
                titleSources[reader.GetGuid(0)] = titleSource.Value;
            }
        }

        return new SetConversations(sessions, ids, created, titleSources);
    }

    public static void AddAggregates(NpgsqlBatch batch) => batch.BatchCommands.Add(new NpgsqlBatchCommand(UpdateAggregatesSql));
}
