namespace CatSyphon.Worker.DataLifecycle;

/// <summary>The sessions one batch removed and the rows removed with them, per kind (counts only, never content).</summary>
internal sealed record DeletedBatch(IReadOnlyList<string> SessionIds, IReadOnlyDictionary<string, long> Counts);

/// <summary>
/// Deletes whole sessions of a data job, a bounded batch per transaction. Deleting a <c>conversations</c> row cascades to
/// everything derived from it: messages (and their <c>message_search</c> rows), tool calls, files touched, plans and their
/// versions, token usages, <c>sequence_ranges</c> and the daily analytics rollups (<c>token_usage_days</c>,
/// <c>tool_call_days</c>, keyed by conversation), so the analytics of the deleted sessions' days lose exactly their
/// contribution. The sessions' <c>ingestion_jobs</c> go too, and their OTLP telemetry (joined by session id, not a key).
/// </summary>
/// <remarks>
/// Each batch first takes the advisory lock the persisting worker takes per session (<see cref="ConversationLinks"/>), in
/// key order as the worker does: a batch and a persist of the same session never interleave. An erasure writes each
/// session's tombstone in the same transaction, so a persist after it finds the tombstone and stores nothing; a retention
/// batch checks the cutoff again under the locks, so a session that came back to life meanwhile stays.
/// </remarks>
internal static class SessionDeletion
{
    private const string LockSql = "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT k FROM unnest($1::bigint[]) AS k ORDER BY k) s";

    /// <summary>$1 ids, $2 retention cutoff (null for an erasure), $3 job id, $4 whether to leave tombstones.</summary>
    private const string DeleteSql = """
        WITH gone AS (
            DELETE FROM conversations c
            WHERE c.id = ANY($1::uuid[])
              AND ($2::timestamptz IS NULL OR c.last_event_at < $2 OR (c.last_event_at IS NULL AND c.created_at < $2))
            RETURNING c.id, c.workspace_id, c.session_id
        ), tombstones AS (
            INSERT INTO erased_sessions (workspace_id, session_id, erased_at, job_id)
            SELECT g.workspace_id, g.session_id, now(), $3 FROM gone g WHERE $4
            ON CONFLICT DO NOTHING
        ), jobs AS (
            DELETE FROM ingestion_jobs j WHERE j.conversation_id IN (SELECT id FROM gone) RETURNING 1
        ), telemetry_events AS (
            DELETE FROM agent_telemetry_events e USING gone g WHERE e.workspace_id = g.workspace_id AND e.session_id = g.session_id RETURNING 1
        ), telemetry_points AS (
            DELETE FROM agent_telemetry_points p USING gone g WHERE p.workspace_id = g.workspace_id AND p.session_id = g.session_id RETURNING 1
        )
        SELECT coalesce((SELECT array_agg(g.session_id) FROM gone g), '{}'),
               (SELECT count(*) FROM messages m WHERE m.conversation_id IN (SELECT id FROM gone)),
               (SELECT count(*) FROM message_search s JOIN messages m ON m.id = s.message_id WHERE m.conversation_id IN (SELECT id FROM gone)),
               (SELECT count(*) FROM tool_calls t WHERE t.conversation_id IN (SELECT id FROM gone)),
               (SELECT count(*) FROM files_touched f WHERE f.conversation_id IN (SELECT id FROM gone)),
               (SELECT count(*) FROM plans p WHERE p.conversation_id IN (SELECT id FROM gone)),
               (SELECT count(*) FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.conversation_id IN (SELECT id FROM gone)),
               (SELECT count(*) FROM token_usages u WHERE u.conversation_id IN (SELECT id FROM gone)),
               (SELECT count(*) FROM jobs),
               (SELECT count(*) FROM telemetry_events),
               (SELECT count(*) FROM telemetry_points)
        """;

    /// <summary>The kinds <see cref="DeleteSql"/> counts, in its column order after the session ids.</summary>
    private static readonly string[] CountedKinds =
        ["messages", "message_search", "tool_calls", "files_touched", "plans", "plan_versions", "token_usages", "ingestion_jobs",
         "agent_telemetry_events", "agent_telemetry_points"];

    public const string SessionsKind = "sessions";

    /// <summary>Every kind a job counts, so a job that found nothing still says so per kind.</summary>
    public static IEnumerable<string> AllKinds => CountedKinds.Prepend(SessionsKind);

    /// <summary>How many sessions the job still has to remove.</summary>
    public static async Task<long> CountAsync(NpgsqlConnection connection, DataJobScope scope, int timeoutSeconds, CancellationToken cancellationToken)
    {
        await using var command = scope.Command(connection, $"SELECT count(*) FROM ({scope.CandidatesSql}) s");
        command.CommandTimeout = timeoutSeconds;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Picks up to <paramref name="limit"/> of the job's sessions (outside a transaction).</summary>
    public static async Task<List<(Guid Id, string SessionId)>> NextAsync(
        NpgsqlConnection connection, DataJobScope scope, int limit, int timeoutSeconds, CancellationToken cancellationToken)
    {
        await using var command = scope.Command(connection,
            $"SELECT c.id, c.session_id FROM conversations c WHERE c.id IN ({scope.CandidatesSql}) LIMIT {limit}");
        command.CommandTimeout = timeoutSeconds;
        var picked = new List<(Guid, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            picked.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return picked;
    }

    /// <summary>In the caller's transaction: locks the sessions, deletes them with everything derived and counts what went.</summary>
    public static async Task<DeletedBatch> DeleteAsync(
        SqlTransaction sql, DataJobScope scope, IReadOnlyList<(Guid Id, string SessionId)> sessions, CancellationToken cancellationToken)
    {
        await using var batch = sql.Batch();
        batch.BatchCommands.Add(Sql.Command(LockSql, sessions.Select(s => ConversationLinks.LockKey(scope.WorkspaceId, s.SessionId)).ToArray()));
        batch.BatchCommands.Add(Sql.Command(DeleteSql,
            sessions.Select(s => s.Id).ToArray(), scope.RetentionCutoff, scope.JobId, scope.LeavesTombstones));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // One row per lock.
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var sessionIds = reader.GetFieldValue<string[]>(0);
        var counts = new Dictionary<string, long> { [SessionsKind] = sessionIds.Length };
        for (var i = 0; i < CountedKinds.Length; i++)
        {
            counts[CountedKinds[i]] = reader.GetInt64(i + 1);
        }

        return new DeletedBatch(sessionIds, counts);
    }
}
