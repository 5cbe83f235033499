using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// One collector's request rate, counted in Redis so every API replica draws from the same bucket: a token bucket of
/// <c>2 × rate</c> requests refilled at <c>rate</c> per second, kept as GCRA (one timestamp per collector, the
/// "theoretical arrival time") by <see cref="Script"/>. Redis's own clock decides, so replicas' clocks need not agree.
/// </summary>
internal sealed class SharedCollectorRateLimiter(IConnectionMultiplexer redis, RedisKey key, int perSecond, TimeProvider time, ILogger logger)
    : RateLimiter
{
    /// <summary>
    /// KEYS[1]: the collector's arrival time (µs, Redis's clock). ARGV[1]: µs one request uses up; ARGV[2]: the bucket's
    /// size in µs (burst × interval). Allowed when the bucket, after this request, holds no more than its size:
    /// returns {1, 0} and moves the arrival time on, or {0, µs until the next request fits} and changes nothing.
    /// The key expires once the bucket is full again, so idle collectors leave nothing behind.
    /// </summary>
    internal const string Script = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local interval = tonumber(ARGV[1])
        local capacity = tonumber(ARGV[2])
        local arrival = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
        local next_arrival = arrival + interval
        local over = next_arrival - now - capacity
        if over > 0 then
          return {0, over}
        end
        redis.call('SET', KEYS[1], next_arrival, 'PX', math.ceil((next_arrival - now) / 1000) + 1)
        return {1, 0}
        """;

    private static readonly RateLimitLease Allowed = new Lease(true, null);

    private long lastUsed = time.GetTimestamp();

    /// <summary>The Redis key of a collector's bucket; the hash tag keeps it on one slot of a Redis Cluster.</summary>
    public static RedisKey KeyOf(string collector) => $"cs:collector-rate:{{{collector}}}";

    /// <summary>The script's arguments for a rate: µs per request, and the bucket's size (twice the rate) in µs.</summary>
    internal static (long IntervalMicroseconds, long CapacityMicroseconds) Arguments(int perSecond)
    {
        var interval = 1_000_000L / perSecond;
        return (interval, 2L * perSecond * interval);
    }

    /// <summary>What a refused request is told to wait: whole seconds, at least one (Retry-After has no fractions).</summary>
    internal static TimeSpan RetryAfter(long waitMicroseconds) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(waitMicroseconds / 1_000_000.0)));

    public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>No answer without asking Redis: not acquired here sends the middleware on to <see cref="AcquireAsyncCore"/>.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => new Lease(false, null);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref lastUsed, time.GetTimestamp());
        var (interval, capacity) = Arguments(perSecond);
        try
        {
            var answer = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, [key], [interval * permitCount, capacity]))!;
            return (long)answer[0] == 1 ? Allowed : new Lease(false, RetryAfter((long)answer[1]));
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            // Fail open: without Redis the batch cannot be buffered either, and the API answers that with 503 +
            // Retry-After, the truthful answer; a 429 would blame the collector and a 5xx here would hide the cause.
            logger.LogWarning(error, "The collector rate limit could not be checked in Redis; the request is let through.");
            return Allowed;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
