using System.IO.Hashing;

namespace CatSyphon.Worker.DataLifecycle;

/// <summary>
/// Runs the data jobs (erasures, retention) one at a time per replica: queued ones, and running ones whose worker died.
/// A replica runs a job while it holds the job's session-level advisory lock on a connection of its own; a worker that
/// dies loses its connection and the lock with it, so another replica (or itself, restarted) resumes the job from what
/// its committed batches left.
/// </summary>
internal sealed partial class DataJobRunner(
    IngestionDatabase database, IConnectionMultiplexer redis, IOptions<DataLifecycleOptions> options, ILogger<DataJobRunner> logger)
    : BackgroundService
{
    private const string TryLockSql = "SELECT pg_try_advisory_lock($1)";
    private const string UnlockSql = "SELECT pg_advisory_unlock($1)";
    private const string LockSessionSql = "SELECT pg_advisory_xact_lock($1)";
    private const string TombstoneSql =
        "INSERT INTO erased_sessions (workspace_id, session_id, erased_at, job_id) VALUES ($1, $2, now(), $3) ON CONFLICT DO NOTHING";

    private DataLifecycleOptions Settings => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Settings.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunWaitingJobsAsync(stoppingToken);
                await Task.Delay(Settings.JobPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // PostgreSQL or Redis unreachable, a deadlock: the job stays running and is resumed on the next round.
                LogRoundFailed(logger, FailureClassifier.Describe(exception));
                await Task.Delay(Settings.JobPollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task RunWaitingJobsAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        foreach (var jobId in await DataJobStore.WaitingAsync(lockConnection, cancellationToken))
        {
            var key = (long)XxHash64.HashToUInt64(jobId.ToByteArray());
            if (!await ScalarAsync<bool>(lockConnection, TryLockSql, key, cancellationToken))
            {
                continue;
            }

            try
            {
                await RunAsync(jobId, cancellationToken);
            }
            catch (Exception exception) when (!FailureClassifier.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                // A job that cannot even be read or ended must not hold up the jobs after it.
                LogFailed(logger, jobId, FailureClassifier.Describe(exception));
            }
            finally
            {
                await ScalarAsync<bool>(lockConnection, UnlockSql, key, CancellationToken.None);
            }
        }
    }

    private async Task RunAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var job = await DataJobStore.LoadAsync(connection, jobId, cancellationToken);
        if (job is null || job.Status is DataJobStatus.Succeeded or DataJobStatus.Failed)
        {
            // Finished by another replica between the list and the lock.
            return;
        }

        try
        {
            await DataJobStore.StartAsync(connection, jobId,
                await SessionDeletion.CountAsync(connection, job.Scope, Settings.CommandTimeoutSeconds, cancellationToken), cancellationToken);
            if (job.Scope.Kind == DataJobKind.EraseSession)
            {
                await TombstoneTargetAsync(connection, job.Scope, cancellationToken);
            }

            await DeleteAllAsync(connection, job, cancellationToken);
            if (job.Scope.Kind == DataJobKind.EraseSession)
            {
                // Also when PostgreSQL never held it (its events were all still in Redis).
                await SessionStateCleanup.ClearAsync(redis, job.Scope.WorkspaceId, [job.Scope.Target!]);
            }

            await DataJobStore.FinishAsync(connection, job, DataJobStatus.Succeeded, null, cancellationToken);
            LogFinished(logger, jobId, job.Scope.Kind, job.Processed);
        }
        catch (Exception exception) when (!FailureClassifier.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, jobId, FailureClassifier.Describe(exception));
            await DataJobStore.FinishAsync(connection, job, DataJobStatus.Failed, FailureClassifier.Describe(exception), cancellationToken);
        }
    }

    /// <summary>
    /// The erased session's tombstone first, under the session's lock: a persist that has not created the conversation
    /// yet then never will, and one that has is waited for and its conversation deleted below.
    /// </summary>
    private static async Task TombstoneTargetAsync(NpgsqlConnection connection, DataJobScope scope, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = new SqlTransaction(connection, transaction, 30).Batch())
        {
            batch.BatchCommands.Add(Sql.Command(LockSessionSql, ConversationLinks.LockKey(scope.WorkspaceId, scope.Target!)));
            batch.BatchCommands.Add(Sql.Command(TombstoneSql, scope.WorkspaceId, scope.Target, scope.JobId));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Batch after batch, each its own transaction with the job's progress, until no session of the job is left.</summary>
    private async Task DeleteAllAsync(NpgsqlConnection connection, DataJobState job, CancellationToken cancellationToken)
    {
        var timeout = Settings.CommandTimeoutSeconds;
        while (await SessionDeletion.NextAsync(connection, job.Scope, Settings.SessionsPerBatch, timeout, cancellationToken) is { Count: > 0 } next)
        {
            DeletedBatch deleted;
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                var sql = new SqlTransaction(connection, transaction, timeout);
                deleted = await SessionDeletion.DeleteAsync(sql, job.Scope, next, cancellationToken);
                foreach (var (kind, count) in deleted.Counts)
                {
                    job.Counts[kind] = job.Counts.GetValueOrDefault(kind) + count;
                }

                await DataJobStore.ProgressAsync(sql, job, deleted.SessionIds.Count, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            job.Processed += deleted.SessionIds.Count;
            await SessionStateCleanup.ClearAsync(redis, job.Scope.WorkspaceId, deleted.SessionIds);
            if (deleted.SessionIds.Count == 0)
            {
                // The picked sessions no longer qualify (retention: new activity): the next run takes what is left.
                return;
            }
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, object value, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = value } } };
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data jobs: a round failed and is tried again: {Error}")]
    private static partial void LogRoundFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data job {JobId} ({Kind}) finished: {Sessions} sessions removed")]
    private static partial void LogFinished(ILogger logger, Guid jobId, DataJobKind kind, long sessions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Data job {JobId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, Guid jobId, string error);
}
