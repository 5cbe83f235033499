using System.ComponentModel.DataAnnotations;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>Limits and back-pressure of event ingestion (configuration section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Largest accepted request body; larger is a 413. A batch is kept in Redis, whose values stop at 512 MiB.</summary>
    [Range(1024L, 512L * 1024 * 1024, ErrorMessage = "Ingest:MaxRequestBytes must be between 1,024 and 536,870,912 (512 MiB).")]
    public long MaxRequestBytes { get; set; } = Protocol.ProtocolLimits.DefaultMaxRequestBytes;

    /// <summary>Buffered batches not yet persisted above which new batches get 503 + Retry-After.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Ingest:MaxLag must be at least 1.")]
    public long MaxLag { get; set; } = 200_000;

    /// <summary>
    /// Redis's used memory, in percent of its <c>maxmemory</c>, above which new batches get 503 + Retry-After:
    /// the API refuses before Redis itself would (OOM). No check when Redis has no <c>maxmemory</c>.
    /// </summary>
    [Range(10, 99, ErrorMessage = "Ingest:MaxRedisMemoryPercent must be between 10 and 99.")]
    public int MaxRedisMemoryPercent { get; set; } = 90;

    /// <summary>
    /// How many of a session's most recent dedup keys Redis keeps (about 110 bytes each). A session with more
    /// events checks the keys of a batch that are not in the window against PostgreSQL, one query per batch.
    /// At least one batch, so a batch's own keys always fit.
    /// </summary>
    [Range(Protocol.ProtocolLimits.MaxEventsPerBatch, 1_000_000, ErrorMessage = "Ingest:DedupWindow must be between 50 and 1,000,000.")]
    public int DedupWindow { get; set; } = 20_000;

    /// <summary>
    /// A session idle this long leaves Redis; PostgreSQL stays the truth and seeds it again. Every accepted
    /// request restarts it, so it bounds how long an idle session's state and dedup window occupy memory.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Ingest:SessionStateIdleTtl must be between 1 minute and 7 days.")]
    public TimeSpan SessionStateIdleTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Requests per second one collector may send (a token bucket; bursts up to twice this).</summary>
    [Range(1, 1_000_000, ErrorMessage = "Ingest:RequestsPerSecondPerCollector must be between 1 and 1,000,000.")]
    public int RequestsPerSecondPerCollector { get; set; } = 2_000;

    /// <summary>What a 503 or 429 tells the collector to wait.</summary>
    [Range(1, 3600, ErrorMessage = "Ingest:RetryAfterSeconds must be between 1 and 3600.")]
    public int RetryAfterSeconds { get; set; } = 2;
}
