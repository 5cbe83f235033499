using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CatSyphon.Worker.Hosting;

/// <summary>The ingestion worker's metrics and traces (meter and activity source <c>CatSyphon.Ingestion</c>).</summary>
public sealed class IngestionTelemetry : IDisposable
{
    public const string Name = "CatSyphon.Ingestion";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter meter;
    private long streamLag;

    public IngestionTelemetry(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(Name);
        EventsPersisted = meter.CreateCounter<long>(
            "catsyphon.ingestion.events.persisted", "{event}", "Events newly stored in PostgreSQL (duplicates excluded).");
        PersistDuration = meter.CreateHistogram<double>(
            "catsyphon.ingestion.persist.duration", "ms", "Time to persist one read set of stream entries in one transaction.");
        DeadLettered = meter.CreateCounter<long>(
            "catsyphon.ingestion.dead_lettered", "{entry}", "Stream entries moved to the dead-letter stream.");
        meter.CreateObservableGauge(
            "catsyphon.ingestion.stream.lag", () => Volatile.Read(ref streamLag), "{entry}", "Entries waiting in the shard streams.");
    }

    public Counter<long> EventsPersisted { get; }

    public Histogram<double> PersistDuration { get; }

    public Counter<long> DeadLettered { get; }

    /// <summary>The last measured number of entries in the shard streams.</summary>
    public long StreamLag
    {
        get => Volatile.Read(ref streamLag);
        set => Volatile.Write(ref streamLag, value);
    }

    public void Dispose() => meter.Dispose();
}
