using Npgsql;
using NpgsqlTypes;

namespace CatSyphon.ApiService.Pricing;

/// <summary>Priced token totals per group, summed from <c>token_usages</c> (one row per API response) inside PostgreSQL.</summary>
public sealed class PricedTokenTotals(PriceTable prices)
{
    /// <summary>
    /// Totals of a workspace's API responses made in <paramref name="range"/> (open ends when null),
    /// per key; only those of <paramref name="project"/>'s sessions when one is given.
    /// </summary>
    public Task<Dictionary<string, PricedTotals>> QueryRangeAsync(
        CatSyphonDbContext db, string keyExpression, Guid workspace, TimeRange range, CancellationToken cancellationToken,
        Guid? project = null) =>
        QueryAsync(db, keyExpression, """
            u.workspace_id = @workspace
            AND (CAST(@from AS timestamptz) IS NULL OR u.occurred_at >= @from)
            AND (CAST(@to AS timestamptz) IS NULL OR u.occurred_at < @to)
            AND (CAST(@project AS uuid) IS NULL OR c.project_id = @project)
            """,
            [
                new("workspace", workspace),
                new("from", NpgsqlDbType.TimestampTz) { Value = (object?)SqlQueries.Utc(range.From) ?? DBNull.Value },
                new("to", NpgsqlDbType.TimestampTz) { Value = (object?)SqlQueries.Utc(range.To) ?? DBNull.Value },
                new("project", NpgsqlDbType.Uuid) { Value = (object?)project ?? DBNull.Value },
            ],
            cancellationToken);

    /// <summary>
    /// PostgreSQL over-estimates the groups of the priced sums (a group per key, model, day and speed it cannot know are
    /// few), finds a hash table of them larger than work_mem's default and sorts every usage row instead, several times
    /// slower. A hash table only takes the memory its actual groups need (spilling to disk beyond this cap), so letting
    /// hashing plan with more memory is safe. The tier lookup's cost estimate (as if every row needed it) would also
    /// start JIT compilation, which takes longer than the query.
    /// </summary>
    private static readonly string[] QuerySettings = ["SET LOCAL hash_mem_multiplier = 16", "SET LOCAL jit = off"];

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
