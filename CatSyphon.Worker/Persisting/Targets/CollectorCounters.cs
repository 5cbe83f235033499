namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>The collectors' <c>event_count</c> and <c>session_count</c>, moved by what the set newly stored.</summary>
internal static class CollectorCounters
{
    // Collector rows are shared by every shard: lock them in id order (no deadlock), last (short hold).
    // NO KEY UPDATE, the lock the counter UPDATE takes anyway: it does not conflict with the KEY SHARE locks
    // that foreign keys (conversations, ingestion_jobs -> collectors) take, so two sets that both
    // reference a collector never deadlock upgrading their locks.
    private const string LockSql = """
        SELECT k.id FROM collectors k WHERE k.id = ANY($1::uuid[]) ORDER BY k.id FOR NO KEY UPDATE
        """;

    private const string UpdateSql = """
        UPDATE collectors k SET event_count = k.event_count + a.events, session_count = k.session_count + a.sessions
        FROM (
            SELECT collector_id, sum(events)::bigint AS events, sum(sessions)::bigint AS sessions
            FROM (
                SELECT e.collector_id, count(*) AS events, 0 AS sessions
                FROM t_new n JOIN t_events e ON e.conversation_id = n.conversation_id AND e.event_hash = n.event_hash
                GROUP BY e.collector_id
                UNION ALL
                SELECT s, 0, 1 FROM unnest($1::uuid[]) AS s
            ) x
            GROUP BY collector_id
        ) a
        WHERE k.id = a.collector_id
        """;

    private const string CountSessionsSql = "UPDATE collectors SET session_count = session_count + 1 WHERE id = ANY($1::uuid[])";

    /// <param name="staged">Whether the set staged any event (otherwise there are no new events to count).</param>
    public static void Add(NpgsqlBatch batch, PersistSet set, SetConversations conversations, bool staged)
    {
        var createdCollectors = conversations.Sessions.Where(conversations.Created).Select(s => s.CollectorId).ToArray();
        var collectors = set.Batches.Select(b => b.CollectorId).Distinct().Order().ToArray();
        batch.BatchCommands.Add(Sql.Command(LockSql, collectors));
        if (staged)
        {
            batch.BatchCommands.Add(Sql.Command(UpdateSql, createdCollectors));
        }
        else if (createdCollectors.Length > 0)
        {
            batch.BatchCommands.Add(Sql.Command(CountSessionsSql, createdCollectors));
        }
    }
}
