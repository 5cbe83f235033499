using System.IO.Hashing;
using System.Text;
using StackExchange.Redis;

namespace CatSyphon.Ingestion;

/// <summary>
/// The Redis layout of the ingestion buffer. Accepted batches go to one of <see cref="ShardCount"/>
/// streams chosen by session, so one session's batches stay in order while shards are persisted
/// in parallel; each shard is worked by one worker at a time (a lease), as consumer <c>shard-N</c> of
/// group <see cref="ConsumerGroup"/>.
/// </summary>
/// <remarks>
/// Redis Cluster: every key one script touches starts with its lane's hash tag (<see cref="LaneTag"/>), so the script
/// runs on one slot: a shard's stream, lease and attempt counts, and the state, dedup window and dead-letter ids of
/// each session the shard holds. Shards spread over the cluster's nodes. The server-wide keys (dead letters,
/// watermarks) are only ever touched alone. <see cref="LegacyIngestionKeys"/> names the layout before tags.
/// </remarks>
public static class IngestionRedisKeys
{
    public const int ShardCount = 8;
    public const string ConsumerGroup = "persisters";

    /// <summary>Field of a stream entry holding the serialized <see cref="BufferedBatch"/>.</summary>
    public const string PayloadField = "b";

    /// <summary>Field of a dead-letter entry naming why it failed.</summary>
    public const string ErrorField = "error";

    /// <summary>Field of a dead-letter entry naming the shard stream it came from.</summary>
    public const string SourceField = "source";

    public static readonly RedisKey DeadLetters = "cs:ingest:dead";

    /// <summary>Refused requests' ingestion jobs, and those of batches whose events were all duplicates.</summary>
    public static readonly RedisKey Jobs = LaneTag("jobs");

    /// <summary>
    /// Accepted OTLP requests (<c>/v1/logs</c>, <c>/v1/metrics</c>), one entry each, normalised: a lane of its own, as
    /// telemetry has no per-session order to keep.
    /// </summary>
    public static readonly RedisKey Telemetry = LaneTag("telemetry");

    public static RedisKey Shard(int shard) => LaneTag(shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The lease of a lane's stream (one worker at a time).</summary>
    public static RedisKey Lease(RedisKey stream) => stream.Append(":lease");

    /// <summary>Failed attempts of a lane's entries (hash; field: the entry id), beside its stream.</summary>
    public static RedisKey Attempts(RedisKey stream) => stream.Append(":attempts");

    public static string ShardConsumer(int shard) => $"shard-{shard}";

    /// <summary>The shard of a session (known before its conversation is): the API appends here.</summary>
    public static int ShardOf(Guid workspaceId, string sessionId) =>
        (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes($"{workspaceId:N}:{sessionId}")) % ShardCount);

    /// <summary>
    /// A session's state (hash: conversation_id, last_sequence, persisted_sequence, event_count,
    /// first_event_at, last_event_at, status). It expires when the session has been idle for a while;
    /// PostgreSQL stays the truth and seeds it again.
    /// </summary>
    public static RedisKey SessionState(Guid workspaceId, string sessionId) =>
        $"{(string?)Shard(ShardOf(workspaceId, sessionId))}:session:{workspaceId:N}:{sessionId}";

    /// <summary>The pattern of every key of <see cref="SessionState"/> and what expires with it.</summary>
    public const string SessionStatePattern = "{cs:ingest:*}:session:*";

    /// <summary>
    /// Ids of a session's entries in <see cref="DeadLetters"/> (a set; an id no longer there was replayed or deleted).
    /// Outside <see cref="SessionStatePattern"/>: dropping session states keeps it.
    /// </summary>
    public static RedisKey SessionDeadLetters(Guid workspaceId, string sessionId) =>
        $"{(string?)Shard(ShardOf(workspaceId, sessionId))}:dead:{workspaceId:N}:{sessionId}";

    /// <summary>Per shard (hash field), the worker's count of committed transactions as of its last commit; see <c>RestoreGuard</c>.</summary>
    public static readonly RedisKey Watermarks = "cs:ingest:watermarks";

    /// <summary>
    /// A session's dedup window: the set of its most recent event hashes (16-byte digests), at most
    /// <c>Ingest:DedupWindow</c> of them, expiring with its state. Beyond the window PostgreSQL is the truth.
    /// </summary>
    public static RedisKey SessionHashes(Guid workspaceId, string sessionId) => SessionState(workspaceId, sessionId).Append(":hashes");

    /// <summary>The same digests as <see cref="SessionHashes"/> in arrival order (a list): the oldest leave the window first.</summary>
    public static RedisKey SessionHashOrder(Guid workspaceId, string sessionId) => SessionState(workspaceId, sessionId).Append(":order");

    /// <summary>A lane's stream, whose whole name is the hash tag its other keys share.</summary>
    private static RedisKey LaneTag(string lane) => $"{{cs:ingest:{lane}}}";
}

/// <summary>
/// The layout of release 0.1.0, before hash tags: streams <c>cs:ingest:N</c> and <c>cs:ingest:jobs</c>. The worker
/// moves what they still hold (an API of that release buffering during a rolling upgrade) into today's streams.
/// Remove one release after the one that introduced the tags.
/// </summary>
public static class LegacyIngestionKeys
{
    public static readonly RedisKey Jobs = "cs:ingest:jobs";

    public static RedisKey Shard(int shard) => $"cs:ingest:{shard}";

    public static readonly RedisKey Attempts = "cs:ingest:attempts";

    /// <summary>Each legacy stream with the stream its entries now belong to.</summary>
    public static IEnumerable<(RedisKey Legacy, RedisKey Current)> Streams() =>
        Enumerable.Range(0, IngestionRedisKeys.ShardCount)
            .Select(shard => (Shard(shard), IngestionRedisKeys.Shard(shard)))
            .Append((Jobs, IngestionRedisKeys.Jobs));

    /// <summary>The stream a dead letter recorded as its source is replayed to: a legacy name maps to today's.</summary>
    public static RedisKey CurrentStream(string source)
    {
        foreach (var (legacy, current) in Streams())
        {
            if (legacy == source)
            {
                return current;
            }
        }

        return source;
    }
}
