using CatSyphon.Protocol.Redaction;

namespace CatSyphon.Worker.Insights.Llm;

/// <summary>
/// The SQL of the LLM job. A session is due when it has deterministic tags (it is over) and no LLM answer for their
/// version or prompt, unless this version already failed <see cref="LlmOptions.MaxAttempts"/> times; its workspace must
/// have budget left this month (a budget of 0 turns the LLM off for that workspace).
/// </summary>
internal static class LlmInsightStore
{
    /// <summary>Replicas take turns: one holds this session lock for its round, the others skip theirs.</summary>
    public const long LlmLockKey = 0x4C_4C_4D_49_4E_53_49_47;

    private const string MonthSql = "date_trunc('month', now() AT TIME ZONE 'UTC')::date";

    private const string DueSql = $"""
        SELECT si.conversation_id, si.workspace_id, si.event_count, coalesce(c.title, ''), si.intent, si.outcome, si.error_count, si.iterations,
               si.tools_used
        FROM session_insights si
        JOIN conversations c ON c.id = si.conversation_id
        JOIN workspaces w ON w.id = si.workspace_id
        LEFT JOIN llm_usage u ON u.workspace_id = si.workspace_id AND u.month = {MonthSql}
        LEFT JOIN session_llm_insights l ON l.conversation_id = si.conversation_id
        WHERE coalesce(u.input_tokens + u.output_tokens, 0) < coalesce(w.llm_monthly_token_budget, $1)
          AND (l.conversation_id IS NULL OR l.event_count < si.event_count OR l.prompt_version < $2)
          AND NOT (l.last_error IS NOT NULL AND l.failed_event_count = si.event_count AND l.attempts >= $3)
        ORDER BY si.computed_at
        LIMIT $4
        """;

    private const string RemainingSql = $"""
        SELECT coalesce(w.llm_monthly_token_budget, $2)::bigint - coalesce(u.input_tokens + u.output_tokens, 0)
        FROM workspaces w LEFT JOIN llm_usage u ON u.workspace_id = w.id AND u.month = {MonthSql}
        WHERE w.id = $1
        """;

    private const string RulesSql = "SELECT kind, value, label FROM redaction_rules WHERE workspace_id = $1";

    private const string UsageSql = $"""
        INSERT INTO llm_usage (workspace_id, month, input_tokens, output_tokens, requests) VALUES ($1, {MonthSql}, $2, $3, 1)
        ON CONFLICT (workspace_id, month) DO UPDATE SET input_tokens = llm_usage.input_tokens + EXCLUDED.input_tokens,
            output_tokens = llm_usage.output_tokens + EXCLUDED.output_tokens, requests = llm_usage.requests + 1
        """;

    private const string AnswerSql = """
        INSERT INTO session_llm_insights (conversation_id, workspace_id, event_count, prompt_version, model, sentiment, summary, problems, features,
                                          learning_opportunities, input_tokens, output_tokens, computed_at, attempts)
        SELECT c.id, c.workspace_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), 0 FROM conversations c WHERE c.id = $1
        ON CONFLICT (conversation_id) DO UPDATE SET
            event_count = EXCLUDED.event_count, prompt_version = EXCLUDED.prompt_version, model = EXCLUDED.model, sentiment = EXCLUDED.sentiment,
            summary = EXCLUDED.summary, problems = EXCLUDED.problems, features = EXCLUDED.features,
            learning_opportunities = EXCLUDED.learning_opportunities, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
            computed_at = EXCLUDED.computed_at, last_error = NULL, failed_event_count = NULL, attempts = 0
        """;

    // A failure keeps the last good answer (and the version it describes); a first failure stores a row that describes none.
    private const string FailureSql = """
        INSERT INTO session_llm_insights (conversation_id, workspace_id, event_count, prompt_version, model, problems, features, learning_opportunities,
                                          input_tokens, output_tokens, computed_at, last_error, failed_event_count, attempts)
        SELECT c.id, c.workspace_id, 0, $3, $4, '{}', '{}', '{}', 0, 0, now(), $5, $2, $6 FROM conversations c WHERE c.id = $1
        ON CONFLICT (conversation_id) DO UPDATE SET
            last_error = EXCLUDED.last_error, failed_event_count = EXCLUDED.failed_event_count,
            attempts = CASE WHEN session_llm_insights.failed_event_count = EXCLUDED.failed_event_count
                            THEN session_llm_insights.attempts + EXCLUDED.attempts ELSE EXCLUDED.attempts END
        """;

    public static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (bool)(await ScalarAsync(connection, "SELECT pg_try_advisory_lock($1)", cancellationToken, LlmLockKey))!;

    public static Task UnlockAsync(NpgsqlConnection connection) =>
        ScalarAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, LlmLockKey);

    public static async Task<List<LlmSessionHeader>> DueAsync(NpgsqlConnection connection, LlmOptions options, CancellationToken cancellationToken)
    {
        await using var command = Sql.Statement(connection, DueSql, options.MonthlyTokenBudget, LlmPrompt.Version, options.MaxAttempts, options.BatchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<LlmSessionHeader>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new LlmSessionHeader(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt32(6), reader.GetInt32(7), reader.GetFieldValue<string[]>(8)));
        }

        return due;
    }

    /// <summary>Tokens the workspace may still use this month.</summary>
    public static async Task<long> RemainingAsync(NpgsqlConnection connection, Guid workspaceId, int defaultBudget, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, RemainingSql, cancellationToken, workspaceId, defaultBudget) as long? ?? 0;

    /// <summary>The workspace's current redactor: the built-in rules and its own, as they are now.</summary>
    public static async Task<SecretRedactor> RedactorAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Statement(connection, RulesSql, workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rules = new List<RedactionRule>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rules.Add(new RedactionRule
            {
                Kind = WireName.Parse<RedactionRuleKind>(reader.GetString(0)),
                Value = reader.GetString(1),
                Label = reader.IsDBNull(2) ? null : reader.GetString(2),
                CreatedBy = "",
            });
        }

        return rules.Count == 0 ? SecretRedactor.Default : WorkspaceRedactor.Build(rules);
    }

    public static Task RecordUsageAsync(NpgsqlConnection connection, Guid workspaceId, long input, long output, CancellationToken cancellationToken) =>
        ScalarAsync(connection, UsageSql, cancellationToken, workspaceId, input, output);

    public static Task SaveAnswerAsync(
        NpgsqlConnection connection, LlmSessionHeader session, LlmReply.Answered reply, LlmAnswer answer, CancellationToken cancellationToken) =>
        ScalarAsync(
            connection, AnswerSql, cancellationToken, session.ConversationId, session.EventCount, LlmPrompt.Version, reply.Model, answer.Sentiment,
            answer.Summary, answer.Problems, answer.Features, answer.LearningOpportunities, reply.InputTokens, reply.OutputTokens);

    public static Task SaveFailureAsync(
        NpgsqlConnection connection, LlmSessionHeader session, string model, string error, int attempts, CancellationToken cancellationToken) =>
        ScalarAsync(
            connection, FailureSql, cancellationToken, session.ConversationId, session.EventCount, LlmPrompt.Version, model,
            error.Length <= ColumnLimits.LlmError ? error : error[..ColumnLimits.LlmError], attempts);

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Sql.Statement(connection, sql, values);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
