using System.Diagnostics;
using CatSyphon.Ingestion;
using StackExchange.Redis;

namespace CatSyphon.Worker.Ingestion;

/// <summary>One stream processed under a lease: a shard of buffered batches, or the refused-jobs stream.</summary>
public sealed record StreamLaneDefinition(string Name, RedisKey Stream, RedisKey Lease, string Consumer, IStreamEntryPersister Persister);

/// <summary>
/// Processes one stream while holding its lease: reads as the stream's consumer, pending entries first
/// (a dead predecessor's), then new ones; persists each read set in one transaction; after COMMIT
/// updates the sessions' persisted sequence and acknowledges and deletes the entries.
/// </summary>
/// <remarks>
/// Failures: a transient one (PostgreSQL or Redis unreachable...) backs off (doubling up to a maximum)
/// and retries the same entries without counting anything, holding the lease meanwhile. Any other
/// failure of a set retries its entries one at a time; an entry that fails on its own counts an attempt
/// (<see cref="WorkerRedisKeys.Attempts"/>) and after <see cref="IngestionWorkerOptions.MaxAttempts"/> moves
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
    // persisted_sequence only grows, and only in a session state that exists (it expires with the session;
    // the API seeds it again from PostgreSQL).
    private static readonly LuaScript PersistedSequenceScript = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 1 then
          local current = tonumber(redis.call('HGET', @key, 'persisted_sequence')) or 0
          local value = tonumber(@value)
          if value > current then
            redis.call('HSET', @key, 'persisted_sequence', @value)
            return 1
          end
        end
        return 0
        """);

    // Moves a failed entry to the dead letters in one step, and lists it under its session (when the payload names one)
    // so the session's status can say it is stuck. Fields: the payload, why it failed, its stream, its id there and how
    // often it failed (IngestionRedisKeys.PayloadField, ErrorField, SourceField).
    private static readonly LuaScript DeadLetterScript = LuaScript.Prepare("""
        local id = redis.call('XADD', @dead, '*', 'b', @payload, 'error', @error, 'source', @source, 'id', @id, 'attempts', @attempts)
        if @session ~= '' then
          redis.call('SADD', @session, id)
        end
        redis.call('XACK', @stream, @group, @id)
        redis.call('XDEL', @stream, @id)
        redis.call('HDEL', @attemptsKey, @field)
        return id
        """);

    private static readonly string Owner = $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly string streamName = (string)definition.Stream!;

    public StreamLaneDefinition Definition => definition;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var database = redis.GetDatabase();
        var backoff = options.RetryBackoffInitial;
        while (!stoppingToken.IsCancellationRequested)
        {
            StreamLease? lease;
            try
            {
                // A new token per lease: a late renewal of an earlier lease can never extend this one.
                lease = await StreamLease.TryAcquireAsync(database, definition.Lease, $"{Owner}:{Guid.NewGuid():N}", options.LeaseDuration, logger);
                backoff = options.RetryBackoffInitial;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(exception, "Could not take the lease of {Lane}; retrying in {Delay}.", definition.Name, backoff);
                await DelayAsync(backoff, stoppingToken);
                backoff = Next(backoff);
                continue;
            }

            if (lease is null)
            {
                await DelayAsync(options.LeaseRetryInterval, stoppingToken);
                continue;
            }

            await using (lease)
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
        }
    }

    private async Task WorkAsync(IDatabase database, CancellationToken cancellationToken)
    {
        var groupReady = false;
        var readPending = true;
        var backoff = options.RetryBackoffInitial;
        var failuresInARow = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
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
                        continue;
                    }

                    await signals.WaitAsync(streamName, options.BlockTime, cancellationToken);
                    continue;
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
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Transient or not, nothing was counted against an entry here (that happens in ProcessAsync):
                // back off and read this consumer's pending entries again.
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
                    backoff = Next(backoff);
                }
            }
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
            await PersistAndAcknowledgeAsync(database, present, fromPending, cancellationToken);
            return false;
        }
        catch (Exception exception) when (!FailureClassifier.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            if (present.Count == 1)
            {
                await RecordFailureAsync(database, present[0], exception);
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
                await PersistAndAcknowledgeAsync(database, [entry], fromPending: true, cancellationToken);
            }
            catch (Exception exception) when (!FailureClassifier.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                await RecordFailureAsync(database, entry, exception);
                failed = true;
            }
        }

        return failed;
    }

    private async Task PersistAndAcknowledgeAsync(IDatabase database, IReadOnlyList<StreamEntry> entries, bool fromPending, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        PersistResult result;
        using (var activity = IngestionTelemetry.ActivitySource.StartActivity("ingestion.persist"))
        {
            activity?.SetTag("catsyphon.ingestion.stream", streamName);
            activity?.SetTag("catsyphon.ingestion.entries", entries.Count);
            try
            {
                result = await definition.Persister.PersistAsync(entries, cancellationToken);
            }
            catch (Exception exception)
            {
                activity?.SetStatus(ActivityStatusCode.Error, FailureClassifier.Describe(exception));
                throw;
            }

            activity?.SetTag("catsyphon.ingestion.events", result.EventsReceived);
            activity?.SetTag("catsyphon.ingestion.events.inserted", result.EventsInserted);
        }

        telemetry.PersistDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("stream", definition.Name));
        if (result.EventsInserted > 0)
        {
            telemetry.EventsPersisted.Add(result.EventsInserted);
        }

        // Committed. The sequences go first and in the same pipeline as the acknowledgement: if the connection
        // breaks in between, the entries are read again and persisting them again changes nothing.
        var ids = entries.Select(entry => entry.Id).ToArray();
        var batch = database.CreateBatch();
        var sequenceUpdates = result.Sessions
            .Select(session => batch.ScriptEvaluateAsync(PersistedSequenceScript, new
            {
                key = IngestionRedisKeys.SessionState(session.WorkspaceId, session.SessionId),
                value = session.PersistedSequence,
            }))
            .ToList();
        var acknowledge = batch.StreamAcknowledgeAsync(definition.Stream, IngestionRedisKeys.ConsumerGroup, ids);
        var delete = batch.StreamDeleteAsync(definition.Stream, ids);
        var clearAttempts = fromPending
            ? batch.HashDeleteAsync(WorkerRedisKeys.Attempts, [.. ids.Select(AttemptField)])
            : Task.FromResult(0L);
        batch.Execute();

        await Task.WhenAll(acknowledge, delete, clearAttempts);
        // Before the sequences below are trusted: a PostgreSQL that went back drops the session states they update.
        // Not once the lease is lost: the next holder may have counted a later commit already.
        if (result.Commit is { } commit && !cancellationToken.IsCancellationRequested)
        {
            await RestoreGuard.AfterCommitAsync(redis, commit.Shard, commit.Commits, logger);
        }

        foreach (var update in sequenceUpdates)
        {
            try
            {
                await update;
            }
            catch (Exception exception) when (!FailureClassifier.IsTransient(exception))
            {
                // A session state of an unexpected shape: PostgreSQL has the events, the API reseeds its state.
                logger.LogWarning("{Lane}: could not update a session's persisted sequence: {Error}", definition.Name, FailureClassifier.Describe(exception));
            }
        }
    }

    private async Task RecordFailureAsync(IDatabase database, StreamEntry entry, Exception exception)
    {
        var field = AttemptField(entry.Id);
        var attempts = await database.HashIncrementAsync(WorkerRedisKeys.Attempts, field);
        var error = FailureClassifier.Describe(exception);
        if (attempts < options.MaxAttempts)
        {
            logger.LogWarning("{Lane}: entry {Id} failed (attempt {Attempt} of {Max}): {Error}",
                definition.Name, (string?)entry.Id, attempts, options.MaxAttempts, error);
            return;
        }

        var payload = entry.Values.FirstOrDefault(value => value.Name == IngestionRedisKeys.PayloadField).Value;
        await database.ScriptEvaluateAsync(DeadLetterScript, new
        {
            dead = IngestionRedisKeys.DeadLetters,
            session = SessionDeadLettersKey(payload),
            stream = definition.Stream,
            attemptsKey = WorkerRedisKeys.Attempts,
            payload = payload.IsNull ? RedisValue.EmptyString : payload,
            error = (RedisValue)error,
            source = (RedisValue)streamName,
            id = entry.Id,
            attempts = (RedisValue)attempts,
            group = (RedisValue)IngestionRedisKeys.ConsumerGroup,
            field = (RedisValue)field,
        });

        telemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("stream", definition.Name));
        logger.LogError("{Lane}: entry {Id} failed {Attempts} times and was moved to {DeadLetters}: {Error}",
            definition.Name, (string?)entry.Id, attempts, (string?)IngestionRedisKeys.DeadLetters, error);
    }

    /// <summary>The dead-letter list of the payload's session; an empty key name when the payload is no batch.</summary>
    private static RedisKey SessionDeadLettersKey(RedisValue payload)
    {
        try
        {
            var batch = payload.IsNull ? null : BufferedBatchSerializer.Deserialize((byte[])payload!);
            return batch is { SessionId: { Length: > 0 } sessionId } ? IngestionRedisKeys.SessionDeadLetters(batch.WorkspaceId, sessionId) : "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
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
        exception is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure };

    private string AttemptField(RedisValue id) => $"{streamName}/{id}";

    private TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.RetryBackoffMax.Ticks));

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

/// <summary>Redis keys only the worker uses.</summary>
public static class WorkerRedisKeys
{
    /// <summary>Failed attempts per entry (hash; field <c>&lt;stream&gt;/&lt;entry id&gt;</c>).</summary>
    public static readonly RedisKey Attempts = "cs:ingest:attempts";

    /// <summary>The lease of the refused-jobs stream.</summary>
    public static readonly RedisKey JobsLease = "cs:ingest:jobs:lease";

    public const string JobsConsumer = "jobs";
}
