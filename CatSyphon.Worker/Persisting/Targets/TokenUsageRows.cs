namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>The <c>token_usages</c> ledger: one row per API response, from newly inserted events only (a replay changes nothing).</summary>
internal static class TokenUsageRows
{
    // The set's own copies of a response are reduced to the best one first (a statement may not update a row twice),
    // then the stored copy gives way only to a better one, by the token ledger's rule: a main-session copy beats a
    // sub-agent copy, otherwise the strictly larger total wins. Rows go in key order so concurrent shards never deadlock
    // on them. Runs before the aggregates update, so while it waits on another shard's copy of a response it holds no
    // lock on a conversation row that the other shard may need (a parent linking its sub-agents).
    // A row is one copy of a response under its key (workspace_id, usage_key); a better copy replaces all the rest.
    private static readonly string[] CopyColumns =
    [
        "conversation_id", "model", "occurred_at", "input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens",
        "from_sub_agent", "cache_creation_1h_tokens", "fast",
    ];

    private static readonly string UpsertSql = $"""
        INSERT INTO token_usages AS t (workspace_id, usage_key, {string.Join(", ", CopyColumns)})
        SELECT DISTINCT ON (c.workspace_id, e.usage_key)
               c.workspace_id, e.usage_key, e.conversation_id, e.usage_model, e.emitted_at, COALESCE(e.input_tokens, 0),
               COALESCE(e.output_tokens, 0), COALESCE(e.cache_creation_tokens, 0), COALESCE(e.cache_read_tokens, 0), e.usage_from_sub_agent,
               e.usage_cache_creation_1h, e.usage_fast
        FROM t_new n
        JOIN t_events e ON e.conversation_id = n.conversation_id AND e.event_hash = n.event_hash
        JOIN conversations c ON c.id = e.conversation_id
        WHERE e.usage_key IS NOT NULL
        ORDER BY c.workspace_id, e.usage_key, e.usage_from_sub_agent,
                 COALESCE(e.input_tokens, 0) + COALESCE(e.output_tokens, 0) + COALESCE(e.cache_creation_tokens, 0)
                     + COALESCE(e.cache_read_tokens, 0) DESC,
                 e.emitted_at, e.conversation_id, e.sequence
        ON CONFLICT (workspace_id, usage_key) DO UPDATE SET {Sql.Excluded(CopyColumns)}
        WHERE (t.from_sub_agent AND NOT EXCLUDED.from_sub_agent)
           OR (t.from_sub_agent = EXCLUDED.from_sub_agent
               AND EXCLUDED.input_tokens + EXCLUDED.output_tokens + EXCLUDED.cache_creation_tokens + EXCLUDED.cache_read_tokens
                   > t.input_tokens + t.output_tokens + t.cache_creation_tokens + t.cache_read_tokens)
        """;

    public static void AddUpsert(NpgsqlBatch batch) => batch.BatchCommands.Add(new NpgsqlBatchCommand(UpsertSql));
}
