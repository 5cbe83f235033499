namespace CatSyphon.Worker.Streams;

/// <summary>
/// Counts the failed attempts of a lane's entries (<see cref="WorkerRedisKeys.Attempts"/>) and moves an entry that
/// failed <see cref="IngestionWorkerOptions.MaxAttempts"/> times to the dead letters.
/// </summary>
internal sealed class EntryFailures(StreamLaneDefinition definition, IngestionTelemetry telemetry, IngestionWorkerOptions options, ILogger logger)
{
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

    private readonly string streamName = (string)definition.Stream!;

    public async Task RecordAsync(IDatabase database, StreamEntry entry, Exception exception)
    {
        var field = WorkerRedisKeys.AttemptField(streamName, entry.Id);
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
            field,
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
}
