namespace CatSyphon.Worker.Streams;

/// <summary>One stream processed under a lease: a shard of buffered batches, or the refused-jobs stream.</summary>
/// <summary>A lane: its stream, the consumer it reads as, and what persists its entries. Its lease and attempt counts sit beside the stream.</summary>
public sealed record StreamLaneDefinition(string Name, RedisKey Stream, string Consumer, IStreamEntryPersister Persister)
{
    public RedisKey Lease { get; } = IngestionRedisKeys.Lease(Stream);

    public RedisKey Attempts { get; } = IngestionRedisKeys.Attempts(Stream);
}

/// <summary>
/// Processes one stream while holding its lease: reads as the stream's consumer, pending entries first
/// (a dead predecessor's), then new ones; persists each read set in one transaction; after COMMIT
/// updates the sessions' persisted sequence and acknowledges and deletes the entries (<see cref="StreamCommitter"/>).
/// </summary>
/// <remarks>
/// Failures: a transient one (PostgreSQL or Redis unreachable...) backs off (doubling up to a maximum)
/// and retries the same entries without counting anything, holding the lease meanwhile. Any other
/// failure of a set retries its entries one at a time; an entry that fails on its own counts an attempt
/// (<see cref="EntryFailures"/>) and after <see cref="IngestionWorkerOptions.MaxAttempts"/> moves
/// to the dead-letter stream.
/// </remarks>
public sealed class StreamLane(
    StreamLaneDefinition definition,
    IConnectionMultiplexer redis,
    StreamSignals signals,
    IngestionTelemetry telemetry,
    IngestionWorkerOptions options,
    ILogger logger)
{
    private static readonly string Owner = $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly string streamName = (string)definition.Stream!;
    private readonly StreamCommitter committer = new(definition, redis, telemetry, logger);
    private readonly EntryFailures failures = new(definition, telemetry, options, logger);

    // The read loop's state, reset whenever a lease is taken.
    private bool groupReady;
    private bool readPending;
    private TimeSpan backoff;
    private int failuresInARow;

    public StreamLaneDefinition Definition => definition;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var database = redis.GetDatabase();
        var leaseBackoff = options.RetryBackoffInitial;
        while (!stoppingToken.IsCancellationRequested)
        {
            StreamLease? lease;
            try
            {
                // A new token per lease: a late renewal of an earlier lease can never extend this one.
                lease = await StreamLease.TryAcquireAsync(database, definition.Lease, $"{Owner}:{Guid.NewGuid():N}", options.LeaseDuration, logger);
                leaseBackoff = options.RetryBackoffInitial;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(exception, "Could not take the lease of {Lane}; retrying in {Delay}.", definition.Name, leaseBackoff);
                await DelayAsync(leaseBackoff, stoppingToken);
                leaseBackoff = options.NextBackoff(leaseBackoff);
                continue;
            }

            if (lease is null)
            {
                await DelayAsync(options.LeaseRetryInterval, stoppingToken);
                continue;
            }

            await using (lease)
            {
                await WorkUnderLeaseAsync(database, lease, stoppingToken);
            }
        }
    }

    private async Task WorkUnderLeaseAsync(IDatabase database, StreamLease lease, CancellationToken stoppingToken)
    {
        logger.LogInformation("Processing {Lane} ({Stream}).", definition.Name, streamName);
        using var working = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        try
        {
            await WorkAsync(database, working.Token);
        }
        catch (Exception) when (working.IsCancellationRequested)
        {
            // Stopping, or the lease is gone (whatever a cancelled command threw): whatever was not
            // acknowledged is read again by the next holder.
        }
        catch (Exception exception)
        {
            // Never let one lane take the host down; give the lease back and start over.
            logger.LogError(exception, "{Lane} stopped unexpectedly; starting over.", definition.Name);
            await DelayAsync(options.RetryBackoffInitial, stoppingToken);
        }
    }

    private async Task WorkAsync(IDatabase database, CancellationToken cancellationToken)
    {
        (groupReady, readPending, backoff, failuresInARow) = (false, true, options.RetryBackoffInitial, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReadAndProcessAsync(database, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                await BackOffAsync(exception, cancellationToken);
            }
        }
    }

    private async Task ReadAndProcessAsync(IDatabase database, CancellationToken cancellationToken)
    {
        if (!groupReady)
        {
            await EnsureGroupAsync(database);
            groupReady = true;
        }

        // ID 0: this consumer's pending entries (a dead predecessor's, or ones that failed); then new ones.
        var entries = await database.StreamReadGroupAsync(
            definition.Stream, IngestionRedisKeys.ConsumerGroup, definition.Consumer,
            readPending ? StreamPosition.Beginning : StreamPosition.NewMessages, options.ReadCount);
        if (entries.Length == 0)
        {
            if (readPending)
            {
                readPending = false;
                return;
            }

            await signals.WaitAsync(streamName, options.BlockTime, cancellationToken);
            return;
        }

        var failed = await ProcessAsync(database, entries, fromPending: readPending, cancellationToken);
        if (failed)
        {
            readPending = true;
            await Task.Delay(options.FailedEntryRetryDelay, cancellationToken);
        }

        backoff = options.RetryBackoffInitial;
        if (failuresInARow > 0)
        {
            logger.LogInformation("{Lane} works again after {Failures} transient failures.", definition.Name, failuresInARow);
            failuresInARow = 0;
        }
    }

    /// <summary>
    /// Transient or not, nothing was counted against an entry here (that happens in <see cref="ProcessAsync"/>):
    /// back off and read this consumer's pending entries again.
    /// </summary>
    private async Task BackOffAsync(Exception exception, CancellationToken cancellationToken)
    {
        readPending = true;
        if (exception is RedisServerException redisError && redisError.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            groupReady = false;
        }

        // A deadlock or serialization failure against another shard's transaction: just try again soon.
        var conflict = IsConflict(exception);
        var delay = conflict ? TimeSpan.FromMilliseconds(Random.Shared.Next(20, 200)) : backoff;
        failuresInARow++;
        if (conflict)
        {
            logger.LogInformation("{Lane}: {Error}; retrying in {Delay}.", definition.Name, FailureClassifier.Describe(exception), delay);
        }
        else if (failuresInARow == 1 || failuresInARow % 10 == 0)
        {
            if (FailureClassifier.IsTransient(exception))
            {
                logger.LogWarning("{Lane}: {Error}; retrying in {Delay} (failure {Count} in a row).",
                    definition.Name, FailureClassifier.Describe(exception), delay, failuresInARow);
            }
            else
            {
                logger.LogError(exception, "{Lane} failed unexpectedly; retrying in {Delay}.", definition.Name, delay);
            }
        }

        await Task.Delay(delay, cancellationToken);
        if (!conflict)
        {
            backoff = options.NextBackoff(backoff);
        }
    }

    /// <summary>Persists and acknowledges a read set; returns true when some entry failed (it stays pending or went to the dead letters).</summary>
    private async Task<bool> ProcessAsync(IDatabase database, StreamEntry[] entries, bool fromPending, CancellationToken cancellationToken)
    {
        // An entry deleted while pending comes back without fields: only its acknowledgement is left to do.
        var deleted = entries.Where(entry => entry.Values is null or { Length: 0 }).Select(entry => entry.Id).ToArray();
        if (deleted.Length > 0)
        {
            await database.StreamAcknowledgeAsync(definition.Stream, IngestionRedisKeys.ConsumerGroup, deleted);
        }

        var present = entries.Where(entry => entry.Values is { Length: > 0 }).ToList();
        if (present.Count == 0)
        {
            return false;
        }

        try
        {
            await committer.PersistAndAcknowledgeAsync(database, present, fromPending, cancellationToken);
            return false;
        }
        catch (Exception exception) when (!FailureClassifier.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            if (present.Count == 1)
            {
                await failures.RecordAsync(database, present[0], exception);
                return true;
            }

            logger.LogWarning("{Lane}: a set of {Count} entries failed ({Error}); retrying them one at a time.",
                definition.Name, present.Count, FailureClassifier.Describe(exception));
        }

        var failed = false;
        foreach (var entry in present)
        {
            try
            {
                await committer.PersistAndAcknowledgeAsync(database, [entry], fromPending: true, cancellationToken);
            }
            catch (Exception exception) when (!FailureClassifier.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                await failures.RecordAsync(database, entry, exception);
                failed = true;
            }
        }

        return failed;
    }

    private async Task EnsureGroupAsync(IDatabase database)
    {
        try
        {
            await database.StreamCreateConsumerGroupAsync(definition.Stream, IngestionRedisKeys.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Exists already.
        }
    }

    private static bool IsConflict(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <summary>Waits, or stops waiting when the lane stops (the loop then ends by itself).</summary>
    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
