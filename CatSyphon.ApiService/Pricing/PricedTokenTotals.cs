using Npgsql;
using NpgsqlTypes;

namespace CatSyphon.ApiService.Pricing;

/// <summary>Priced token totals per group, summed from <c>token_usages</c> (one row per API response) inside PostgreSQL.</summary>
public sealed class PricedTokenTotals(PriceTable prices)
{
    /// <summary>
    /// Totals of a workspace's API responses made in <paramref name="range"/> (open ends when null), per key; only those of
    /// <paramref name="project"/>'s sessions when one is given. <paramref name="keyExpression"/> (text) reads the usage
    /// <c>u</c> (<c>conversation_id</c>, <c>model</c>, <c>day</c> the UTC date, <c>fast</c>) and its conversation <c>c</c>.
    /// </summary>
    /// <remarks>
    /// The whole days of the range come from <c>token_usage_days</c> (per conversation, day, model and speed), and only two
    /// things from <c>token_usages</c>: the parts of days at the range's ends (<see cref="RollupWindow"/>), and what a
    /// long-context tier adds (the responses past a threshold, read only when a rollup row of the range holds one). Equal to summing
    /// <c>token_usages</c> (<see cref="PriceTable.PricedTotalsSql"/>), which the worker's tests and the stats tests hold.
    /// </remarks>
    public Task<Dictionary<string, PricedTotals>> QueryRangeAsync(
        CatSyphonDbContext db, string keyExpression, Guid workspace, TimeRange range, CancellationToken cancellationToken,
        Guid? project = null)
    {
        var window = RollupWindow.Of(range);
        var sql = PriceTable.PricedUsageSql($"""
            SELECT {keyExpression} AS key, u.*
            FROM (
                SELECT r.conversation_id, r.model, r.day, r.fast, r.input_tokens AS input, r.output_tokens AS output,
                       r.cache_creation_tokens AS cache_creation, r.cache_creation_1h_tokens AS cache_creation_1h,
                       r.cache_read_tokens AS cache_read, {PriceTable.NoTierColumns}
                FROM token_usage_days r
                WHERE r.workspace_id = @workspace AND {RollupWindow.DayInWindow("r")}
                UNION ALL
                -- A tier adds only for responses past a threshold: read those of the window, once (an InitPlan), only when a
                -- rollup row of it holds one.
                SELECT x.conversation_id, x.model, x.day, x.fast, 0, 0, 0, 0, 0, {PriceTable.ResponseTierColumns("x.")}
                FROM ({Responses}) x
                WHERE x.workspace_id = @workspace
                  AND (CAST(@window_from AS timestamptz) IS NULL OR x.occurred_at >= @window_from)
                  AND (CAST(@window_to AS timestamptz) IS NULL OR x.occurred_at < @window_to)
                  AND (greatest(x.input, x.output, x.cache_creation - x.cache_creation_1h, x.cache_creation_1h, x.cache_read) > @each_kind_above
                       OR x.input + x.cache_creation + x.cache_read > @whole_request_above)
                  AND EXISTS (SELECT 1 FROM token_usage_days r WHERE r.workspace_id = @workspace AND {RollupWindow.DayInWindow("r")}
                              AND (r.largest_kind > @each_kind_above OR r.largest_request > @whole_request_above))
                UNION ALL
                SELECT x.conversation_id, x.model, x.day, x.fast, x.input, x.output, x.cache_creation, x.cache_creation_1h, x.cache_read,
                       {PriceTable.ResponseTierColumns("x.")}
                FROM ({Responses}) x
                WHERE x.workspace_id = @workspace AND {RollupWindow.InEdges("x.occurred_at")}
            ) u
            -- LEFT: every row has its conversation (a foreign key), and PostgreSQL drops the join when neither the key nor a
            -- project filter reads it (by day or model), which an inner join it must keep.
            LEFT JOIN conversations c ON c.id = u.conversation_id
            WHERE CAST(@project AS uuid) IS NULL OR c.project_id = @project
            """);
        NpgsqlParameter[] parameters =
        [
            new("workspace", workspace),
            new("project", NpgsqlDbType.Uuid) { Value = (object?)project ?? DBNull.Value },
            .. window.Bounds.Select(bound => new NpgsqlParameter(bound.Name, NpgsqlDbType.TimestampTz) { Value = (object?)bound.Value ?? DBNull.Value }),
        ];
        return ExecuteAsync(db, sql, parameters, cancellationToken);
    }

    /// <summary>The <c>token_usages</c> rows as responses in the columns the price table reads.</summary>
    private const string Responses = """
        SELECT t.workspace_id, t.conversation_id, t.model, t.occurred_at, (t.occurred_at AT TIME ZONE 'UTC')::date AS day, t.fast,
               t.input_tokens AS input, t.output_tokens AS output, t.cache_creation_tokens AS cache_creation,
               t.cache_creation_1h_tokens AS cache_creation_1h, t.cache_read_tokens AS cache_read
        FROM token_usages t
        """;

    /// <summary>
    /// PostgreSQL cannot know that the usage rows fall into a few groups per key, price entry and speed: it expects about
    /// as many groups as rows, and the tier branch's rows as if half the responses passed a threshold. It would then sort
    /// every usage row to group them (by day over 90 days of a 1,000,000-event workspace: 45 ms instead of 27), so this
    /// query aggregates by hashing alone, planned with the memory its estimate asks for; a hash table only takes the
    /// memory its actual groups need (spilling to disk beyond this cap), so that is safe. Sorts it cannot avoid (the
    /// price lookup's few rows, the result's order) still run. JIT compilation, which the same estimates would start,
    /// takes longer than the query.
    /// </summary>
    private static readonly string[] QuerySettings =
        ["SET LOCAL enable_sort = off", "SET LOCAL hash_mem_multiplier = 16", "SET LOCAL jit = off"];

    /// <summary>
    /// Totals of the usage rows <paramref name="where"/> selects (alias <c>u</c> for token_usages, <c>c</c> for its
    /// conversation), grouped by <paramref name="keyExpression"/> (text). Named parameters only.
    /// </summary>
    public async Task<Dictionary<string, PricedTotals>> QueryAsync(
        CatSyphonDbContext db, string keyExpression, string where, IEnumerable<NpgsqlParameter> parameters, CancellationToken cancellationToken)
    {
        var sql = PriceTable.PricedTotalsSql($"""
            SELECT {keyExpression} AS key, u.model, (u.occurred_at AT TIME ZONE 'UTC')::date AS day,
                   u.input_tokens AS input, u.output_tokens AS output,
                   u.cache_creation_tokens AS cache_creation, u.cache_creation_1h_tokens AS cache_creation_1h,
                   u.cache_read_tokens AS cache_read, u.fast
            FROM token_usages u JOIN conversations c ON c.id = u.conversation_id
            WHERE {where}
            """);
        return await ExecuteAsync(db, sql, parameters, cancellationToken);
    }

    private async Task<Dictionary<string, PricedTotals>> ExecuteAsync(
        CatSyphonDbContext db, string sql, IEnumerable<NpgsqlParameter> parameters, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        // Npgsql sends BEGIN with the batch: one round trip. The setting lasts until the transaction ends.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var setting in QuerySettings)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
        }

        var query = new NpgsqlBatchCommand(sql);
        query.Parameters.AddRange(prices.CreateSqlParameters());
        query.Parameters.AddRange(parameters.ToArray());
        batch.BatchCommands.Add(query);
        var totals = new Dictionary<string, PricedTotals>(StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.IsDBNull(0) ? null : reader.GetString(0);
            totals[key ?? ""] = new PricedTotals(key, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetDecimal(5), reader.GetInt64(6));
        }

        return totals;
    }
}
