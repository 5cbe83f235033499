namespace CatSyphon.Worker.Insights;

/// <summary>
/// Finds the sessions due for tagging and writes their insights. A session is due when it is over (stored status
/// completed, or its last event older than <see cref="SessionActivityOptions.IdleAfter"/>) and has no insight, or one
/// computed over fewer events or by older rules.
/// </summary>
/// <remarks>
/// Cost: finding due sessions is one anti-join of conversations with session_insights by primary key, with a LIMIT
/// that stops at the first batch found; when nothing is due it reads every conversation row once (no events), once per
/// <see cref="InsightOptions.Interval"/>. That is cheaper than an index of its own on conversations, which ingestion
/// would update on every batch; the conversation's counters are read, never locked (the insert's foreign key check
/// takes only a KEY SHARE lock, which never waits for ingestion's updates).
/// </remarks>
internal static class InsightStore
{
    /// <summary>Replicas tag one batch at a time: one holds this transaction lock, the others skip the round.</summary>
    public const long TaggingLockKey = 0x49_4E_53_49_47_48_54_53;

    private const string DueSql = """
        SELECT c.id FROM conversations c
        LEFT JOIN session_insights i ON i.conversation_id = c.id
        WHERE (c.status = 'completed' OR c.last_event_at < now() - $1::interval)
          AND (i.conversation_id IS NULL OR i.event_count < c.event_count OR i.rules_version < $2)
        LIMIT $3
        """;

    private const string UpsertSql = """
        INSERT INTO session_insights (conversation_id, workspace_id, intent, outcome, iterations, error_count, tools_used, languages, areas,
                                      evidence, event_count, rules_version, computed_at,
                                      test_runs, tests_passed, last_test_passed, commits, unresolved_errors, files_changed, error_targets)
        SELECT c.id, c.workspace_id, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, now(), $12, $13, $14::boolean, $15, $16, $17, $18
        FROM conversations c WHERE c.id = $1
        ON CONFLICT (conversation_id) DO UPDATE SET
            intent = EXCLUDED.intent, outcome = EXCLUDED.outcome, iterations = EXCLUDED.iterations, error_count = EXCLUDED.error_count,
            tools_used = EXCLUDED.tools_used, languages = EXCLUDED.languages, areas = EXCLUDED.areas, evidence = EXCLUDED.evidence,
            event_count = EXCLUDED.event_count, rules_version = EXCLUDED.rules_version, computed_at = EXCLUDED.computed_at,
            test_runs = EXCLUDED.test_runs, tests_passed = EXCLUDED.tests_passed, last_test_passed = EXCLUDED.last_test_passed,
            commits = EXCLUDED.commits, unresolved_errors = EXCLUDED.unresolved_errors, files_changed = EXCLUDED.files_changed,
            error_targets = EXCLUDED.error_targets
        """;

    /// <summary>Whether this transaction got the tagging lock (another replica holds it otherwise).</summary>
    public static async Task<bool> TryLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction) { Parameters = { new() { Value = TaggingLockKey } } };
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<List<Guid>> DueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TimeSpan idleAfter, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(DueSql, connection, transaction)
        {
            Parameters = { new() { Value = idleAfter }, new() { Value = SessionTagger.RulesVersion }, new() { Value = limit } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(reader.GetGuid(0));
        }

        return due;
    }

    public static NpgsqlBatchCommand Upsert(Guid conversationId, TaggedSession tagged, int eventCount)
    {
        var (tags, evidence, measures) = tagged;
        return Sql.Command(
            UpsertSql,
            conversationId,
            WireName.Of(tags.Intent),
            WireName.Of(tags.Outcome),
            tags.Iterations,
            tags.ErrorCount,
            tags.Tools.ToArray(),
            tags.Languages.ToArray(),
            tags.Areas.ToArray(),
            JsonSerializer.Serialize(evidence, ApiJson.Options),
            eventCount,
            SessionTagger.RulesVersion,
            measures.TestRuns,
            measures.TestsPassed,
            measures.LastTestPassed,
            measures.Commits,
            measures.UnresolvedErrors,
            measures.FilesChanged,
            measures.ErrorTargets.ToArray());
    }
}
