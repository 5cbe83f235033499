using CatSyphon.Ingestion;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// Records refused batches as ingestion jobs. They travel through Redis like accepted ones (the worker
/// stores them), so the API never waits on PostgreSQL; a refusal that cannot be recorded is only logged.
/// </summary>
public sealed class RefusedBatchRecorder(IConnectionMultiplexer redis, TimeProvider time, ILogger<RefusedBatchRecorder> logger)
{
    public async Task RecordAsync(CollectorIdentity collector, string? sessionId, int receivedEvents, int status, string error, DateTimeOffset startedAt)
    {
        var job = new BufferedJob(
            Guid.CreateVersion7(), collector.WorkspaceId, collector.CollectorId, Truncate(sessionId ?? "", Protocol.ProtocolLimits.MaxSessionIdLength),
            null, receivedEvents, 0, 0, "refused", status, Truncate(error, 2000), startedAt, (time.GetUtcNow() - startedAt).TotalMilliseconds);
        try
        {
            await redis.GetDatabase().StreamAddAsync(IngestionRedisKeys.Jobs, IngestionRedisKeys.PayloadField, BufferedBatchSerializer.Serialize(job));
        }
        catch (RedisException exception)
        {
            logger.LogWarning(exception, "Could not record a refused batch of collector {CollectorId}.", collector.CollectorId);
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
