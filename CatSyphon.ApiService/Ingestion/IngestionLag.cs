using CatSyphon.Ingestion;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// How many accepted batches wait in the shard streams. Read at most a few times a second, so the
/// back-pressure check costs the hot path nothing measurable.
/// </summary>
public sealed class IngestionLag(IConnectionMultiplexer redis, TimeProvider time)
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);
    private readonly SemaphoreSlim refresh = new(1, 1);
    private long lastValue;
    private DateTimeOffset readAt = DateTimeOffset.MinValue;

    public long LastKnown => Interlocked.Read(ref lastValue);

    public async Task<long> GetAsync()
    {
        if (time.GetUtcNow() - readAt < RefreshInterval || !await refresh.WaitAsync(0))
        {
            return LastKnown;
        }

        try
        {
            var database = redis.GetDatabase();
            var lengths = await Task.WhenAll(Enumerable.Range(0, IngestionRedisKeys.ShardCount)
                .Select(shard => database.StreamLengthAsync(IngestionRedisKeys.Shard(shard))));
            Interlocked.Exchange(ref lastValue, lengths.Sum());
            readAt = time.GetUtcNow();
            return LastKnown;
        }
        finally
        {
            refresh.Release();
        }
    }
}
