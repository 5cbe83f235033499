namespace CatSyphon.Worker.DataLifecycle;

/// <summary>
/// Every <see cref="DataLifecycleOptions.RetentionInterval"/> (and at start), queues a retention job for each workspace
/// with a retention that holds sessions whose last activity is older and has none queued or running; the
/// <see cref="DataJobRunner"/> carries it out. The cutoff is fixed when the job is queued (its target).
/// </summary>
internal sealed partial class RetentionScheduler(IngestionDatabase database, IOptions<DataLifecycleOptions> options, ILogger<RetentionScheduler> logger)
    : BackgroundService
{
    /// <summary>Replicas schedule one at a time, so a workspace never gets two retention jobs from one round.</summary>
    private const long ScheduleLockKey = 0x52_45_54_45_4E_54_49_4F;

    private const string ScheduleSql = """
        INSERT INTO data_jobs (id, workspace_id, kind, target, status, total, processed, requested_by, created_at)
        SELECT gen_random_uuid(), w.id, 'retention', to_char(cut.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'queued', 0, 0,
               'retention', now()
        FROM workspaces w
        CROSS JOIN LATERAL (SELECT now() - make_interval(days => w.retention_days) AS at) cut
        WHERE w.retention_days IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM data_jobs j WHERE j.workspace_id = w.id AND j.kind = 'retention' AND j.status IN ('queued', 'running'))
          AND EXISTS (SELECT 1 FROM conversations c
                      WHERE c.workspace_id = w.id AND (c.last_event_at < cut.at OR (c.last_event_at IS NULL AND c.created_at < cut.at)))
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await PeriodicWork.RepeatAsync(
            options.Value.RetentionInterval,
            async token =>
            {
                if (await ScheduleAsync(token) is var queued and > 0)
                {
                    LogQueued(logger, queued);
                }
            },
            exception => LogFailed(logger, FailureClassifier.Describe(exception)),
            stoppingToken);
    }

    private async Task<int> ScheduleAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new SqlTransaction(connection, transaction, options.Value.CommandTimeoutSeconds).Batch();
        batch.BatchCommands.Add(Sql.Command("SELECT pg_advisory_xact_lock($1)", ScheduleLockKey));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ScheduleSql));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        var queued = batch.BatchCommands[1].RecordsAffected;
        await transaction.CommitAsync(cancellationToken);
        return queued;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Count} workspaces have sessions past their retention; jobs queued")]
    private static partial void LogQueued(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: scheduling failed and is tried again next round: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
