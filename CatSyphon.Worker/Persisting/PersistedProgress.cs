namespace CatSyphon.Worker.Persisting;

/// <summary>
/// In a persisting transaction: advances each conversation's <c>persisted_sequence</c> over the sequence ranges the
/// set's entries account for, never past a hole, and counts the shard's commit (its restore watermark).
/// </summary>
/// <remarks>
/// Each entry accounts for a range (after, through] of its session's sequences (the API's Lua fills it in): its events,
/// plus sequences that duplicated earlier events and need no row. Counting stored rows instead could not tell such a
/// duplicate from a lost event. A range that starts at or below <c>persisted_sequence</c> continues it (the usual case:
/// nothing is written but the conversation row). A range above a hole (an earlier entry failed, or waits as a dead
/// letter) is kept in <c>sequence_ranges</c>; when the hole is filled (a retry, a replayed dead letter) the same merge
/// takes every kept range it now reaches, and drops them.
/// </remarks>
internal static class PersistedProgress
{
    // Gaps and islands: the conversation's current persisted_sequence is a range (-1, persisted]; sorted by start, each
    // range continues the prefix when it starts at or below the furthest end before it. The prefix ends at the first
    // range that does not.
    private const string AdvanceSql = """
        WITH s AS (
            SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS s(conversation_id, after_sequence, through_sequence)
        ), r AS (
            SELECT conversation_id, after_sequence, through_sequence FROM s
            UNION ALL
            SELECT q.conversation_id, q.after_sequence, q.through_sequence FROM sequence_ranges q
            WHERE q.conversation_id IN (SELECT conversation_id FROM s)
            UNION ALL
            SELECT c.id, -1, c.persisted_sequence FROM conversations c WHERE c.id IN (SELECT conversation_id FROM s)
        ), w AS (
            SELECT conversation_id, after_sequence, through_sequence,
                   max(through_sequence) OVER (PARTITION BY conversation_id ORDER BY after_sequence, through_sequence
                                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
            FROM r
        ), g AS (
            SELECT conversation_id, min(after_sequence) FILTER (WHERE after_sequence > reach) AS gap FROM w GROUP BY conversation_id
        ), n AS (
            SELECT w.conversation_id, max(w.through_sequence) AS persisted
            FROM w JOIN g ON g.conversation_id = w.conversation_id
            WHERE g.gap IS NULL OR w.after_sequence < g.gap
            GROUP BY w.conversation_id
        ), updated AS (
            UPDATE conversations c SET persisted_sequence = n.persisted, last_sequence = GREATEST(c.last_sequence, n.persisted)
            FROM n WHERE c.id = n.conversation_id AND n.persisted > c.persisted_sequence
            RETURNING c.id
        ), absorbed AS (
            DELETE FROM sequence_ranges q USING n WHERE q.conversation_id = n.conversation_id AND q.through_sequence <= n.persisted
        ), kept AS (
            INSERT INTO sequence_ranges (conversation_id, after_sequence, through_sequence)
            SELECT s.conversation_id, s.after_sequence, s.through_sequence
            FROM s JOIN n ON n.conversation_id = s.conversation_id
            WHERE s.through_sequence > n.persisted
            ON CONFLICT DO NOTHING
        )
        SELECT conversation_id, persisted FROM n
        """;

    private const string CountCommitSql = """
        INSERT INTO ingest_watermarks AS w (shard, commits) VALUES ($1, 1)
        ON CONFLICT (shard) DO UPDATE SET commits = w.commits + 1
        RETURNING commits
        """;

    /// <summary>The range an entry accounts for; entries of older versions carry none and stand for their own events.</summary>
    public static (long After, long Through)? RangeOf(BufferedBatch batch)
    {
        if (batch.AfterSequence is { } after && batch.ThroughSequence is { } through && through > after)
        {
            return (after, through);
        }

        return batch.Events is { Count: > 0 } events ? (events.Min(e => e.Sequence) - 1, events.Max(e => e.Sequence)) : null;
    }

    /// <summary>Runs the merge for the set's ranges and counts the commit; returns each conversation's persisted sequence and the shard's count.</summary>
    public static async Task<(Dictionary<Guid, long> Persisted, ShardCommit Commit)> AdvanceAsync(
        SqlTransaction sql, int shard, IReadOnlyList<(Guid ConversationId, long After, long Through)> ranges, CancellationToken cancellationToken)
    {
        var persisted = new Dictionary<Guid, long>();
        await using var batch = sql.Batch();
        batch.BatchCommands.Add(Sql.Command(CountCommitSql, shard));
        if (ranges.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(
                AdvanceSql,
                ranges.Select(r => r.ConversationId).ToArray(),
                ranges.Select(r => r.After).ToArray(),
                ranges.Select(r => r.Through).ToArray()));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var commits = reader.GetInt64(0);
        if (ranges.Count > 0)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                persisted[reader.GetGuid(0)] = reader.GetInt64(1);
            }
        }

        return (persisted, new ShardCommit(shard, commits));
    }
}
