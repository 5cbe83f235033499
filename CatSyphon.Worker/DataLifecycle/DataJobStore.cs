namespace CatSyphon.Worker.DataLifecycle;

/// <summary>A data job as its runner sees it: what it removes, where it stands and what it removed so far.</summary>
internal sealed record DataJobState(DataJobScope Scope, DataJobStatus Status, long Processed, Dictionary<string, long> Counts, string RequestedBy)
{
    /// <summary>Sessions removed so far; the runner moves it on with each committed batch.</summary>
    public long Processed { get; set; } = Processed;
}

/// <summary>The <c>data_jobs</c> rows a runner reads and moves on, and the audit entry of a finished job (kind, target, counts; never content).</summary>
internal static class DataJobStore
{
    private const string WaitingSql = """
        SELECT id FROM data_jobs WHERE status IN ('queued', 'running') ORDER BY created_at LIMIT 20
        """;

    private const string LoadSql = """
        SELECT workspace_id, kind, target, status, processed, counts, requested_by FROM data_jobs WHERE id = $1
        """;

    private const string StartSql = """
        UPDATE data_jobs SET status = 'running', started_at = coalesce(started_at, now()), total = processed + $2 WHERE id = $1
        """;

    private const string ProgressSql = "UPDATE data_jobs SET processed = processed + $2, counts = $3::jsonb WHERE id = $1";

    private const string FinishSql = "UPDATE data_jobs SET status = $2, error = $3, counts = $4::jsonb, finished_at = now() WHERE id = $1";

    private const string AuditSql = """
        INSERT INTO audit_log (id, workspace_id, actor, action, target_type, target_id, details, occurred_at)
        VALUES ($1, $2, $3, $4, 'data_job', $5, $6::jsonb, now())
        """;

    public static async Task<List<Guid>> WaitingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(WaitingSql, connection);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    public static async Task<DataJobState?> LoadAsync(NpgsqlConnection connection, Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LoadSql, connection) { Parameters = { new() { Value = jobId } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var scope = new DataJobScope(jobId, reader.GetGuid(0), WireName.Parse<DataJobKind>(reader.GetString(1)),
            reader.IsDBNull(2) ? null : reader.GetString(2));
        var counts = reader.IsDBNull(5) ? [] : JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(5))!;
        return new DataJobState(scope, WireName.Parse<DataJobStatus>(reader.GetString(3)), reader.GetInt64(4), counts, reader.GetString(6));
    }

    public static Task StartAsync(NpgsqlConnection connection, Guid jobId, long remaining, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, null, StartSql, cancellationToken, jobId, remaining);

    /// <summary>In the batch's transaction, so the progress is exactly what was committed (a resumed job goes on from there).</summary>
    public static Task ProgressAsync(SqlTransaction sql, DataJobState job, long sessions, CancellationToken cancellationToken) =>
        ExecuteAsync(sql.Connection, sql.Transaction, ProgressSql, cancellationToken, job.Scope.JobId, sessions, JsonSerializer.Serialize(job.Counts));

    /// <summary>Ends the job with a count of every kind (zero for what it found none of) and records it in the audit log, in one transaction.</summary>
    public static async Task FinishAsync(NpgsqlConnection connection, DataJobState job, DataJobStatus status, string? error, CancellationToken cancellationToken)
    {
        foreach (var kind in SessionDeletion.AllKinds)
        {
            job.Counts.TryAdd(kind, 0);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, FinishSql, cancellationToken,
            job.Scope.JobId, WireName.Of(status), error, JsonSerializer.Serialize(job.Counts));
        var details = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["kind"] = WireName.Of(job.Scope.Kind),
            ["target"] = job.Scope.Target,
            ["status"] = WireName.Of(status),
            ["counts"] = job.Counts,
        });
        await ExecuteAsync(connection, transaction, AuditSql, cancellationToken,
            Guid.CreateVersion7(), job.Scope.WorkspaceId, job.RequestedBy, "data_job.finished", job.Scope.JobId.ToString(), details);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
