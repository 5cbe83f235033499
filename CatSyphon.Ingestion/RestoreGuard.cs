using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CatSyphon.Ingestion;

/// <summary>
/// Notices that PostgreSQL holds less than Redis believes (it was restored from an older backup, or replaced) and then
/// drops the session states (sequence and dedup keys), so each session is seeded again from what PostgreSQL holds and
/// collectors resend the rest. Buffered stream entries and dead letters are kept: persisting them is idempotent.
/// </summary>
/// <remarks>
/// The signal is a per-shard count of committed worker transactions, kept in PostgreSQL (incremented in each
/// transaction; a shard's lease makes one writer) and copied to <see cref="IngestionRedisKeys.Watermarks"/> after each
/// commit. Redis may lag PostgreSQL (a crash between commit and copy) but never lead it, unless PostgreSQL went back.
/// Checked by the migration step at every start (before the API and the worker run) and by the worker after each commit.
/// </remarks>
public static class RestoreGuard
{
    private const int UnlinkChunk = 1000;

    /// <summary>At start: compares every shard; when Redis leads, drops the session states. Then Redis takes PostgreSQL's counts.</summary>
    public static async Task<bool> ReconcileAsync(IConnectionMultiplexer redis, IReadOnlyDictionary<int, long> postgres, ILogger logger)
    {
        var database = redis.GetDatabase();
        var claimed = (await database.HashGetAllAsync(IngestionRedisKeys.Watermarks))
            .Select(entry => (Shard: (int)entry.Name, Commits: (long)entry.Value))
            .Where(entry => entry.Commits > postgres.GetValueOrDefault(entry.Shard))
            .ToList();
        var restored = claimed.Count > 0;
        if (restored)
        {
            await DropSessionStatesAsync(redis, logger, string.Join(", ", claimed.Select(entry =>
                $"shard {entry.Shard}: PostgreSQL {postgres.GetValueOrDefault(entry.Shard)}, Redis {entry.Commits}")));
        }

        await database.KeyDeleteAsync(IngestionRedisKeys.Watermarks);
        if (postgres.Count > 0)
        {
            await database.HashSetAsync(IngestionRedisKeys.Watermarks, [.. postgres.Select(pair => new HashEntry(pair.Key, pair.Value))]);
        }

        return restored;
    }

    /// <summary>After a worker commit: when Redis had already seen this count or more, PostgreSQL went back; then drops the states.</summary>
    public static async Task<bool> AfterCommitAsync(IConnectionMultiplexer redis, int shard, long commits, ILogger logger)
    {
        var database = redis.GetDatabase();
        var claimed = await database.HashGetAsync(IngestionRedisKeys.Watermarks, shard);
        var restored = claimed.HasValue && (long)claimed >= commits;
        if (restored)
        {
            await DropSessionStatesAsync(redis, logger, $"shard {shard}: PostgreSQL {commits}, Redis {(long)claimed}");
        }

        await database.HashSetAsync(IngestionRedisKeys.Watermarks, shard, commits);
        return restored;
    }

    private static async Task DropSessionStatesAsync(IConnectionMultiplexer redis, ILogger logger, string evidence)
    {
        logger.LogError(
            "PostgreSQL holds fewer worker commits than Redis saw ({Evidence}): it was restored from an older backup. Dropping the " +
            "session states in Redis so that sessions are seeded again from PostgreSQL and collectors resend what it lost.", evidence);
        var database = redis.GetDatabase();
        var dropped = 0L;
        foreach (var server in redis.GetServers().Where(server => !server.IsReplica))
        {
            var keys = new List<RedisKey>(UnlinkChunk);
            await foreach (var key in server.KeysAsync(database.Database, IngestionRedisKeys.SessionStatePattern, UnlinkChunk))
            {
                keys.Add(key);
                if (keys.Count == UnlinkChunk)
                {
                    dropped += await DeleteAsync(database, keys);
                    keys.Clear();
                }
            }

            if (keys.Count > 0)
            {
                dropped += await DeleteAsync(database, keys);
            }
        }

        logger.LogWarning("Dropped {Count} session state keys after a PostgreSQL restore.", dropped);
    }

    /// <summary>One pipelined command per key, not one for all: on a Redis Cluster they lie in the slots of every shard.</summary>
    private static async Task<long> DeleteAsync(IDatabase database, List<RedisKey> keys)
    {
        var batch = database.CreateBatch();
        var deletions = keys.Select(key => batch.KeyDeleteAsync(key)).ToList();
        batch.Execute();
        return (await Task.WhenAll(deletions)).Count(deleted => deleted);
    }
}
