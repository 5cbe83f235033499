using CatSyphon.Telemetry;

namespace CatSyphon.Worker.Persisting;

/// <summary>
/// Persists the telemetry stream (<see cref="IngestionRedisKeys.Telemetry"/>) in one transaction per read set: the
/// records by binary COPY into staging tables, then into <c>agent_telemetry_events</c> and <c>agent_telemetry_points</c>
/// (a replay inserts nothing), then a conversation for each agent session no transcript has announced yet, so a session
/// that only ever sends telemetry still appears. Rows join conversations by session id, whichever arrives first.
/// </summary>
public sealed class TelemetryPersister(IngestionDatabase database, IConnectionMultiplexer redis, IOptions<IngestionWorkerOptions> options)
    : IStreamEntryPersister
{
    // A session the API already buffers events of gets its conversation from them; one erased stays erased.
    private const string InsertConversationsSql = """
        INSERT INTO conversations (id, workspace_id, collector_id, session_id, agent_type, status, message_count, tool_call_count, event_count,
                                   last_sequence, persisted_sequence, has_plan, has_errors, from_telemetry, started_at, created_at, updated_at)
        SELECT u.id, u.workspace_id, (SELECT k.id FROM collectors k WHERE k.id = u.collector_id), u.session_id, u.agent_type, 'active',
               0, 0, 0, 0, 0, false, false, true, u.started_at, now(), now()
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[])
             AS u(id, workspace_id, collector_id, session_id, agent_type, started_at)
        WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = u.workspace_id)
          AND NOT EXISTS (SELECT 1 FROM erased_sessions e WHERE e.workspace_id = u.workspace_id AND e.session_id = u.session_id)
        ORDER BY u.workspace_id, u.session_id
        ON CONFLICT (workspace_id, session_id) DO NOTHING
        """;

    public async Task<PersistResult> PersistAsync(IReadOnlyList<StreamEntry> entries, CancellationToken cancellationToken)
    {
        var batches = entries.Select(entry => TelemetryBatchSerializer.Deserialize(StreamPayload.Read(entry))).ToList();
        var sessions = await UnbufferedSessionsAsync(batches);

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sql = new SqlTransaction(connection, transaction, options.Value.CommandTimeoutSeconds);
        await using (var batch = sql.Batch())
        {
            foreach (var create in TelemetryStaging.CreateTablesSql)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(create));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await TelemetryStaging.CopyEventsAsync(connection, batches, cancellationToken);
        await TelemetryStaging.CopyPointsAsync(connection, batches, cancellationToken);
        await using (var batch = sql.Batch())
        {
            foreach (var insert in TelemetryStaging.InsertSql)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(insert));
            }

            batch.BatchCommands.Add(Sql.Command(
                InsertConversationsSql,
                sessions.Select(_ => Guid.CreateVersion7()).ToArray(),
                sessions.Select(s => s.WorkspaceId).ToArray(),
                sessions.Select(s => s.CollectorId).ToArray(),
                sessions.Select(s => s.SessionId).ToArray(),
                sessions.Select(s => s.Agent).ToArray(),
                sessions.Select(s => s.StartedAt).ToArray()));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        // Telemetry records are not transcript events: they stay out of the events-persisted count.
        return new PersistResult(0, batches.Sum(b => (long)b.Events.Count + b.Points.Count), []);
    }

    /// <summary>
    /// The agent sessions the set names whose events Redis does not buffer (no session state): those the telemetry may
    /// have to create. One whose state exists gets its conversation from its own events, with the id Redis gave it.
    /// </summary>
    private async Task<List<TelemetrySession>> UnbufferedSessionsAsync(IReadOnlyList<TelemetryBatch> batches)
    {
        var sessions = new Dictionary<(Guid, string), TelemetrySession>();
        foreach (var batch in batches)
        {
            var records = batch.Events.Select(e => (e.Agent, e.SessionId, Time: e.OccurredAt))
                .Concat(batch.Points.Select(p => (p.Agent, p.SessionId, p.Time)));
            foreach (var (agent, sessionId, time) in records)
            {
                if (agent is null || ColumnText.Clean(sessionId) is not { } session)
                {
                    continue;
                }

                var key = (batch.WorkspaceId, session);
                sessions[key] = sessions.TryGetValue(key, out var known) && known.StartedAt <= time
                    ? known
                    : new TelemetrySession(batch.WorkspaceId, batch.CollectorId, session, agent, time);
            }
        }

        var database = redis.GetDatabase();
        var buffered = await Task.WhenAll(sessions.Values.Select(s => database.KeyExistsAsync(IngestionRedisKeys.SessionState(s.WorkspaceId, s.SessionId))));
        return sessions.Values.Where((_, index) => !buffered[index]).OrderBy(s => s.WorkspaceId).ThenBy(s => s.SessionId, StringComparer.Ordinal).ToList();
    }

    private sealed record TelemetrySession(Guid WorkspaceId, Guid CollectorId, string SessionId, string Agent, DateTimeOffset StartedAt);
}
