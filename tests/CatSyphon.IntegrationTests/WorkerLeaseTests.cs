namespace CatSyphon.IntegrationTests;

/// <summary>One worker at a time per shard: a lease held by another replica is respected until it expires, then taken over.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class WorkerLeaseTests(RunningStackFixture stack)
{
    [Fact]
    public async Task A_shard_lease_held_by_another_replica_is_only_taken_over_once_it_expired()
    {
        await using var context = await WorkerTestContext.CreateAsync(stack.App);
        const int shard = 5;
        var lease = IngestionRedisKeys.Lease(IngestionRedisKeys.Shard(shard));
        var database = context.RedisDatabase;

        // The running worker holds every shard's lease, under a token of its own that it keeps renewing.
        var workerToken = await WorkerTestContext.EventuallyAsync(
            () => database.StringGetAsync(lease), value => value.HasValue, "the worker to hold the lease");
        Assert.True(await database.KeyTimeToLiveAsync(lease) is { } ttl && ttl > TimeSpan.Zero, "a lease must expire on its own");

        // Another replica's lease (as after a network partition): the worker must neither renew nor steal it.
        var foreignTtl = TimeSpan.FromSeconds(3);
        var foreignToken = $"other-replica:{Guid.NewGuid():N}";
        await database.StringSetAsync(lease, foreignToken, foreignTtl);
        var held = Stopwatch.StartNew();
        var changed = await WorkerTestContext.EventuallyAsync(
            () => database.StringGetAsync(lease), value => value != foreignToken, "the foreign lease to end");
        var heldFor = held.Elapsed;
        Assert.True(heldFor >= foreignTtl - TimeSpan.FromMilliseconds(250),
            $"the foreign lease ended after {heldFor} (value now '{changed}'), before its {foreignTtl} were over");

        // Expired: the worker takes the shard back under a new token and processes it again.
        var newToken = await WorkerTestContext.EventuallyAsync(
            () => database.StringGetAsync(lease), value => value.HasValue && value != foreignToken, "the worker to take the lease back");
        Assert.NotEqual(workerToken, newToken);
        var sessionId = context.SessionInShard(shard);
        var id = await context.AddAsync(context.Batch(sessionId, Guid.CreateVersion7(), WorkerTestContext.Message(1, "human", "after the takeover")));
        await context.PersistedAsync(sessionId, 1);
        await context.WaitUntilDeletedAsync(IngestionRedisKeys.Shard(shard), id);
    }
}
