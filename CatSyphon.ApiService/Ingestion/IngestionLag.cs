using System.Globalization;
using CatSyphon.Ingestion;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// What ingestion's back-pressure looks at: how many accepted batches wait in the shard streams (and OTLP requests in the
/// telemetry stream), and how
/// full Redis is (<c>used_memory</c> against <c>maxmemory</c>). Read at most a few times a second, so the
/// check costs the hot path nothing measurable.
/// </summary>
public sealed class IngestionLag(IConnectionMultiplexer redis, TimeProvider time)
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    // The client library allows INFO only on admin connections; the server allows it to a script.
    private const string MemoryInfoScript = "return redis.call('INFO', 'memory')";
    private readonly SemaphoreSlim refresh = new(1, 1);
    private long lastValue;
    private long usedMemory;
    private long maxMemory;
    private DateTimeOffset readAt = DateTimeOffset.MinValue;

    public long LastKnown => Interlocked.Read(ref lastValue);

    public async Task<long> GetAsync()
    {
        await RefreshAsync();
        return LastKnown;
    }

    /// <summary>Redis's used memory in percent of its <c>maxmemory</c>; 0 when it has none.</summary>
    public async Task<double> GetMemoryPercentAsync()
    {
        await RefreshAsync();
        var max = Interlocked.Read(ref maxMemory);
        return max <= 0 ? 0 : 100.0 * Interlocked.Read(ref usedMemory) / max;
    }

    private async Task RefreshAsync()
    {
        if (time.GetUtcNow() - readAt < RefreshInterval || !await refresh.WaitAsync(0))
        {
            return;
        }

        try
        {
            var database = redis.GetDatabase();
            var memory = database.ScriptEvaluateAsync(MemoryInfoScript);
            var lengths = await Task.WhenAll(Enumerable.Range(0, IngestionRedisKeys.ShardCount)
                .Select(IngestionRedisKeys.Shard).Append(IngestionRedisKeys.Telemetry)
                .Select(stream => database.StreamLengthAsync(stream)));
            var info = (string?)await memory ?? "";
            Interlocked.Exchange(ref lastValue, lengths.Sum());
            Interlocked.Exchange(ref usedMemory, InfoField(info, "used_memory"));
            Interlocked.Exchange(ref maxMemory, InfoField(info, "maxmemory"));
            readAt = time.GetUtcNow();
        }
        finally
        {
            refresh.Release();
        }
    }

    /// <summary>A numeric field of an INFO answer ("name:value" lines); 0 when absent.</summary>
    public static long InfoField(string info, string name)
    {
        foreach (var line in info.Split('\n'))
        {
            var separator = line.IndexOf(':');
            if (separator == name.Length && line.StartsWith(name, StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(separator + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return 0;
    }
}
