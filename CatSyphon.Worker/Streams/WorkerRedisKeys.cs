namespace CatSyphon.Worker.Streams;

/// <summary>Redis keys only the worker uses.</summary>
public static class WorkerRedisKeys
{
    /// <summary>Failed attempts per entry (hash; field <see cref="AttemptField"/>).</summary>
    public static readonly RedisKey Attempts = "cs:ingest:attempts";

    /// <summary>The lease of the refused-jobs stream.</summary>
    public static readonly RedisKey JobsLease = "cs:ingest:jobs:lease";

    public const string JobsConsumer = "jobs";

    /// <summary>An entry's field in <see cref="Attempts"/>: <c>&lt;stream&gt;/&lt;entry id&gt;</c>.</summary>
    public static RedisValue AttemptField(string stream, RedisValue id) => $"{stream}/{id}";
}
