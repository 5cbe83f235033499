using System.Diagnostics.Metrics;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>The API's ingestion metrics (meter <c>CatSyphon.Ingestion</c>, exported over OTLP to the dashboard).</summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "CatSyphon.Ingestion";

    private readonly Counter<long> accepted;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> refused;
    private readonly Counter<long> redacted;
    private readonly Histogram<double> batchDuration;

    public IngestionMetrics(IMeterFactory meters, IngestionLag lag)
    {
        var meter = meters.Create(MeterName);
        accepted = meter.CreateCounter<long>("catsyphon.ingestion.events.accepted", "{event}", "Events newly accepted and buffered");
        duplicates = meter.CreateCounter<long>("catsyphon.ingestion.events.duplicate", "{event}", "Events recognised as already accepted");
        refused = meter.CreateCounter<long>("catsyphon.ingestion.events.refused", "{event}", "Events of refused batches");
        redacted = meter.CreateCounter<long>("catsyphon.ingestion.secrets.redacted", "{secret}", "Secrets replaced by redaction markers before buffering");
        batchDuration = meter.CreateHistogram<double>("catsyphon.ingestion.batch.duration", "ms", "Time to accept or refuse a batch");
        meter.CreateObservableGauge("catsyphon.ingestion.stream.lag", () => lag.LastKnown, "{batch}", "Accepted batches not yet persisted");
    }

    public void Accepted(int count, int duplicateCount, double milliseconds)
    {
        accepted.Add(count);
        duplicates.Add(duplicateCount);
        batchDuration.Record(milliseconds, new KeyValuePair<string, object?>("outcome", "accepted"));
    }

    public void Redacted(int secrets)
    {
        if (secrets > 0)
        {
            redacted.Add(secrets);
        }
    }

    public void Refused(int events, int status, double milliseconds)
    {
        refused.Add(events, new KeyValuePair<string, object?>("status", status));
        batchDuration.Record(milliseconds, new KeyValuePair<string, object?>("outcome", "refused"));
    }
}
