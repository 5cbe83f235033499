using Microsoft.Extensions.Logging.Abstractions;

namespace CatSyphon.Worker.Tests.Streams;

/// <summary>An upgrade from the layout before hash tags: what the old streams buffer moves to today's, nothing lost or reordered.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class LegacyStreamDrainTests(WorkerStores stores)
{
    [Fact]
    public async Task Entries_of_the_old_streams_move_to_todays_in_order_and_the_old_streams_go()
    {
        var redis = stores.Redis.GetDatabase();
        const int shard = 5;
        await redis.KeyDeleteAsync(IngestionRedisKeys.Shard(shard));
        await redis.KeyDeleteAsync(IngestionRedisKeys.Jobs);
        // More than one step's worth, and a consumer group with a pending entry as an old worker leaves it.
        var payloads = Enumerable.Range(0, 1_234).Select(i => (RedisValue)$"batch {i}").ToList();
        foreach (var payload in payloads)
        {
            await redis.StreamAddAsync(LegacyIngestionKeys.Shard(shard), IngestionRedisKeys.PayloadField, payload);
        }

        await redis.StreamCreateConsumerGroupAsync(LegacyIngestionKeys.Shard(shard), IngestionRedisKeys.ConsumerGroup, StreamPosition.Beginning);
        await redis.StreamReadGroupAsync(LegacyIngestionKeys.Shard(shard), IngestionRedisKeys.ConsumerGroup, "shard-5", ">", count: 1);
        await redis.StreamAddAsync(LegacyIngestionKeys.Jobs, IngestionRedisKeys.PayloadField, "a job");
        await redis.HashSetAsync(LegacyIngestionKeys.Attempts, "cs:ingest:5/1-0", 1);

        var drain = new LegacyStreamDrain(stores.Redis, Microsoft.Extensions.Options.Options.Create(new IngestionWorkerOptions()), NullLogger<LegacyStreamDrain>.Instance);
        Assert.Equal(payloads.Count + 1, await drain.DrainAsync(redis));

        var moved = await redis.StreamRangeAsync(IngestionRedisKeys.Shard(shard));
        Assert.Equal(payloads, moved.Select(entry => entry[IngestionRedisKeys.PayloadField]));
        Assert.Equal("a job", (await redis.StreamRangeAsync(IngestionRedisKeys.Jobs)).Single()[IngestionRedisKeys.PayloadField]);
        Assert.False(await redis.KeyExistsAsync(LegacyIngestionKeys.Shard(shard)));
        Assert.False(await redis.KeyExistsAsync(LegacyIngestionKeys.Jobs));

        // Nothing left: the next look moves nothing and clears the old streams' attempt counts.
        Assert.Equal(0, await drain.DrainAsync(redis));
        Assert.False(await redis.KeyExistsAsync(LegacyIngestionKeys.Attempts));
    }

    [Fact]
    public void A_dead_letter_from_an_old_stream_is_replayed_to_todays()
    {
        Assert.Equal(IngestionRedisKeys.Shard(3), LegacyIngestionKeys.CurrentStream("cs:ingest:3"));
        Assert.Equal(IngestionRedisKeys.Jobs, LegacyIngestionKeys.CurrentStream("cs:ingest:jobs"));
        Assert.Equal(IngestionRedisKeys.Shard(3), LegacyIngestionKeys.CurrentStream((string)IngestionRedisKeys.Shard(3)!));
    }
}
