namespace CatSyphon.Worker.Streams;

/// <summary>
/// Counts the failed attempts of a lane's entries (<see cref="StreamLaneDefinition.Attempts"/>) and moves an entry that
/// failed <see cref="IngestionWorkerOptions.MaxAttempts"/> times to the dead letters.
/// </summary>
internal sealed class EntryFailures(StreamLaneDefinition definition, IngestionTelemetry telemetry, IngestionWorkerOptions options, ILogger logger)
{
    // Takes a dead-lettered entry off its lane in one step. Only the lane's keys (one hash tag): the dead letters are
    // server-wide, so the entry is added there first; a crash in between lists it twice, and replaying both is harmless
    // (persisting is idempotent), where the other order could lose it.
    private static readonly LuaScript RemoveScript = LuaScript.Prepare("""
        redis.call('XACK', @stream, @group, @id)
        redis.call('XDEL', @stream, @id)
        redis.call('HDEL', @attempts, @id)
        return 1
        """);

    private readonly string streamName = (string)definition.Stream!;

    public async Task RecordAsync(IDatabase database, StreamEntry entry, Exception exception)
    {
        var attempts = await database.HashIncrementAsync(definition.Attempts, entry.Id);
        var error = FailureClassifier.Describe(exception);
        if (attempts < options.MaxAttempts)
        {
            logger.LogWarning("{Lane}: entry {Id} failed (attempt {Attempt} of {Max}): {Error}",
                definition.Name, (string?)entry.Id, attempts, options.MaxAttempts, error);
            return;
        }

        // Fields: the payload, why it failed, its stream, its id there and how often it failed.
        var payload = entry.Values.FirstOrDefault(value => value.Name == IngestionRedisKeys.PayloadField).Value;
        var deadLetter = await database.StreamAddAsync(IngestionRedisKeys.DeadLetters,
        [
            new NameValueEntry(IngestionRedisKeys.PayloadField, payload.IsNull ? RedisValue.EmptyString : payload),
            new NameValueEntry(IngestionRedisKeys.ErrorField, error),
            new NameValueEntry(IngestionRedisKeys.SourceField, streamName),
            new NameValueEntry("id", entry.Id),
            new NameValueEntry("attempts", attempts),
        ]);
        // Listed under its session (when the payload names one) so the session's status can say it is stuck.
        if (SessionDeadLettersKey(payload) is { } session)
        {
            await database.SetAddAsync(session, deadLetter);
        }

        await database.ScriptEvaluateAsync(RemoveScript, new
        {
            stream = definition.Stream,
            attempts = definition.Attempts,
            id = entry.Id,
            group = (RedisValue)IngestionRedisKeys.ConsumerGroup,
        });

        telemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("stream", definition.Name));
        logger.LogError("{Lane}: entry {Id} failed {Attempts} times and was moved to {DeadLetters}: {Error}",
            definition.Name, (string?)entry.Id, attempts, (string?)IngestionRedisKeys.DeadLetters, error);
    }

    /// <summary>The dead-letter list of the payload's session; none when the payload is no batch.</summary>
    private static RedisKey? SessionDeadLettersKey(RedisValue payload)
    {
        try
        {
            var batch = payload.IsNull ? null : BufferedBatchSerializer.Deserialize((byte[])payload!);
            return batch is { SessionId: { Length: > 0 } sessionId } ? IngestionRedisKeys.SessionDeadLetters(batch.WorkspaceId, sessionId) : (RedisKey?)null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
