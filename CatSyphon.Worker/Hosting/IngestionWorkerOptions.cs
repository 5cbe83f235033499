using System.ComponentModel.DataAnnotations;

namespace CatSyphon.Worker.Hosting;

/// <summary>Settings of the ingestion worker (configuration section <c>Ingestion</c>).</summary>
public sealed class IngestionWorkerOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>False stops this replica from persisting anything (it still answers its probes).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Stream entries read (and persisted in one transaction) at a time.</summary>
    [Range(1, 10_000)]
    public int ReadCount { get; set; } = 64;

    /// <summary>Failed attempts after which an entry is moved to the dead-letter stream.</summary>
    [Range(1, 1_000)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long a shard lease lasts without renewal; it is renewed every third of it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a replica that holds no lease on a stream tries to take it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan LeaseRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long one wait for new entries lasts: the arrival listener blocks on the streams this long,
    /// and an idle shard reads again at least this often even without a signal.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan BlockTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First wait after a transient failure (PostgreSQL or Redis unreachable); it doubles up to <see cref="RetryBackoffMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryBackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before an entry that failed (not transiently) is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan FailedEntryRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the stream lengths behind <c>catsyphon.ingestion.stream.lag</c> are read.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan LagPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one PostgreSQL command while persisting.</summary>
    [Range(1, 3_600)]
    public int CommandTimeoutSeconds { get; set; } = 60;

    /// <summary>The wait after <paramref name="backoff"/> when the failure repeats: twice as long, up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan NextBackoff(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, RetryBackoffMax.Ticks));
}
