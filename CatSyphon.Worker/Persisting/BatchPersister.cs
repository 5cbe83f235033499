namespace CatSyphon.Worker.Persisting;

/// <summary>
/// Persists a set of buffered batches (shard stream entries) in ONE PostgreSQL transaction.
/// </summary>
/// <remarks>
/// <para>
/// Idempotent by construction, so an entry persisted twice (a worker killed after COMMIT but before XACK,
/// a lease taken over mid-set) changes nothing the second time: the truth is the unique index
/// (conversation_id, event_hash). Events are bulk-copied into a temporary table and inserted with
/// <c>ON CONFLICT DO NOTHING RETURNING</c>; everything counted or derived (aggregates, token usage, tool
/// calls, collector counters, session start and end, plans, files) comes only from the rows that insert
/// returned. Conversations are inserted <c>ON CONFLICT (workspace_id, session_id) DO NOTHING</c> (the
/// existing id wins), jobs <c>ON CONFLICT (id) DO NOTHING</c>.
/// </para>
/// <para>
/// Four round trips and one COPY per set whatever its size; each target's SQL lives in its class under
/// <c>Persisting/Targets</c>.
/// </para>
/// </remarks>
public sealed class BatchPersister(IngestionDatabase database, IConnectionMultiplexer redis, IOptions<IngestionWorkerOptions> options)
    : IStreamEntryPersister
{
    public async Task<PersistResult> PersistAsync(IReadOnlyList<StreamEntry> entries, CancellationToken cancellationToken)
    {
        var batches = new List<BufferedBatch>(entries.Count);
        foreach (var entry in entries)
        {
            batches.Add(PersistSet.Validate(BufferedBatchSerializer.Deserialize(StreamPayload.Read(entry))));
        }

        return batches.Count == 0
            ? PersistResult.Empty
            : await PersistAsync(await ConversationIdResolver.ResolveAsync(redis, batches), cancellationToken);
    }

    public async Task<PersistResult> PersistAsync(IReadOnlyList<BufferedBatch> batches, CancellationToken cancellationToken)
    {
        if (batches.Count == 0)
        {
            return PersistResult.Empty;
        }

        // Parsed before the transaction: a malformed event fails the set without touching PostgreSQL.
        var set = PersistSet.Prepare(batches);

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sql = new SqlTransaction(connection, transaction, options.Value.CommandTimeoutSeconds);

        // 1. Temporary tables, locks and conversations: a session already stored keeps its id; an erased one stores nothing.
        var conversations = await ConversationRows.EnsureAsync(sql, set, cancellationToken);
        if (set.Sessions.Any(session => !conversations.Has(session)))
        {
            set = set.Without(session => !conversations.Has(session));
            conversations = conversations.Of(set.Sessions);
        }

        // 2. The events (COPY), then messages, token usage, tool calls and aggregates from what was newly inserted.
        var stored = await NewEvents.StoreAsync(sql, set, conversations, cancellationToken);

        // 3. How far each session is now stored without a hole, and this shard's commit count.
        var (persisted, commit) = await PersistedProgress.AdvanceAsync(sql, set.Shard, set.Ranges(conversations), cancellationToken);

        // 4. Session start and end, titles, sub-agent links, plans, files, jobs, collector counters.
        await using (var batch = sql.Batch())
        {
            ConversationStarts.Add(batch, stored.Starts, conversations);
            ConversationLinks.Add(batch, stored.Starts, conversations);
            ConversationCompletions.Add(batch, set.Batches, stored.Ends, conversations);
            ConversationTitles.Add(batch, stored.Rows, conversations);
            var planAndFileSources = stored.PlanAndFileSources;
            PlanRows.Add(batch, planAndFileSources);
            FileRows.Add(batch, planAndFileSources);
            batch.BatchCommands.Add(JobRows.Insert(set.Jobs(conversations), IngestionOutcome.Accepted));
            CollectorCounters.Add(batch, set, conversations, staged: stored.Rows.Count > 0);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PersistResult(stored.Inserted, stored.Rows.Count, conversations.Progress(persisted), commit);
    }
}
