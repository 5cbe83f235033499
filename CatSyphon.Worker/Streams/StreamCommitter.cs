using System.Diagnostics;

namespace CatSyphon.Worker.Streams;

/// <summary>
/// Persists a lane's read set, then, committed, advances the sessions' persisted sequence in Redis and
/// acknowledges and deletes the entries.
/// </summary>
internal sealed class StreamCommitter(StreamLaneDefinition definition, IConnectionMultiplexer redis, IngestionTelemetry telemetry, ILogger logger)
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

    private readonly string streamName = (string)definition.Stream!;

    public async Task PersistAndAcknowledgeAsync(IDatabase database, IReadOnlyList<StreamEntry> entries, bool fromPending, CancellationToken cancellationToken)
    {
        var result = await PersistAsync(entries, cancellationToken);

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
            ? batch.HashDeleteAsync(definition.Attempts, ids)
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

    /// <summary>The persister's transaction, traced and timed.</summary>
    private async Task<PersistResult> PersistAsync(IReadOnlyList<StreamEntry> entries, CancellationToken cancellationToken)
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

        return result;
    }
}
