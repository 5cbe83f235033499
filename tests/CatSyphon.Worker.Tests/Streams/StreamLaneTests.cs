using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatSyphon.Worker.Tests.Streams;

/// <summary>A lane reading a real Redis stream into a real PostgreSQL: acknowledgement, persisted sequence and dead letters.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class StreamLaneTests(WorkerStores stores)
{
    private static readonly IngestionWorkerOptions Options = new()
    {
        MaxAttempts = 2,
        BlockTime = TimeSpan.FromMilliseconds(50),
        FailedEntryRetryDelay = TimeSpan.FromMilliseconds(10),
        LeaseRetryInterval = TimeSpan.FromMilliseconds(50),
        RetryBackoffInitial = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task A_lane_persists_acknowledges_and_advances_the_session_state_and_dead_letters_what_keeps_failing()
    {
        var good = await stores.NewSessionAsync();
        var bad = new TestSession(good.WorkspaceId, good.CollectorId);
        var redis = stores.Redis.GetDatabase();
        var state = IngestionRedisKeys.SessionState(good.WorkspaceId, good.SessionId);
        await redis.HashSetAsync(state, [new HashEntry("conversation_id", good.ConversationId.ToString()), new HashEntry("persisted_sequence", 0)]);

        RedisKey stream = $"test:lane:{Guid.NewGuid():N}";
        await AppendAsync(stream, good.Batch(good.Event("message", new { content = "one" }), good.Event("message", new { content = "two" })));
        await AppendAsync(stream, bad.Batch(bad.Event("message", new { content = "x" }) with { Data = "[1]" }));

        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var telemetry = new IngestionTelemetry(meters.GetRequiredService<IMeterFactory>());
        var definition = new StreamLaneDefinition("test lane", stream, "test-consumer", stores.CreateBatchPersister());
        var lane = new StreamLane(definition, stores.Redis, new StreamSignals(), telemetry, Options, NullLogger.Instance);
        using var stopping = new CancellationTokenSource();
        var running = lane.RunAsync(stopping.Token);
        try
        {
            await UntilAsync(async () => await redis.StreamLengthAsync(stream) == 0);
        }
        finally
        {
            await stopping.CancelAsync();
            await running;
        }

        Assert.Equal(2L, await stores.CountAsync("SELECT event_count FROM conversations WHERE session_id = $1", good.SessionId));
        Assert.Equal(2, (long)await redis.HashGetAsync(state, "persisted_sequence"));
        Assert.Equal(0, await stores.CountAsync("SELECT count(*) FROM conversations WHERE session_id = $1", bad.SessionId));

        var letter = (await redis.StreamRangeAsync(IngestionRedisKeys.DeadLetters))
            .Single(entry => entry[IngestionRedisKeys.SourceField] == (string)stream!);
        Assert.Equal(2, (int)letter["attempts"]);
        Assert.Contains("FormatException", (string?)letter[IngestionRedisKeys.ErrorField]);
        Assert.True(await redis.SetContainsAsync(IngestionRedisKeys.SessionDeadLetters(good.WorkspaceId, bad.SessionId), letter.Id));
        Assert.False(await redis.HashExistsAsync(definition.Attempts, letter["id"]));
    }

    private Task AppendAsync(RedisKey stream, BufferedBatch batch) =>
        stores.Redis.GetDatabase().StreamAddAsync(stream, IngestionRedisKeys.PayloadField, BufferedBatchSerializer.Serialize(batch));

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The lane did not empty its stream in 30 s.");
            await Task.Delay(50);
        }
    }
}
