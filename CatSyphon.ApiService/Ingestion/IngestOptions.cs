namespace CatSyphon.ApiService.Ingestion;

/// <summary>Limits and back-pressure of event ingestion (configuration section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Largest accepted request body; larger is a 413.</summary>
    public long MaxRequestBytes { get; set; } = Protocol.ProtocolLimits.DefaultMaxRequestBytes;

    /// <summary>Buffered batches not yet persisted above which new batches get 503 + Retry-After.</summary>
    public long MaxLag { get; set; } = 200_000;

    /// <summary>A session idle this long leaves Redis; PostgreSQL stays the truth and seeds it again.</summary>
    public TimeSpan SessionStateIdleTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Requests per second one collector may send (a token bucket; bursts up to twice this).</summary>
    public int RequestsPerSecondPerCollector { get; set; } = 2_000;

    /// <summary>What a 503 or 429 tells the collector to wait.</summary>
    public int RetryAfterSeconds { get; set; } = 2;
}
