namespace CatSyphon.Worker.Streams;

/// <summary>Redis names only the worker uses.</summary>
public static class WorkerRedisKeys
{
    /// <summary>The consumer name of the jobs lane (<see cref="IngestionRedisKeys.Jobs"/>).</summary>
    public const string JobsConsumer = "jobs";

    /// <summary>The consumer name of the telemetry lane (<see cref="IngestionRedisKeys.Telemetry"/>).</summary>
    public const string TelemetryConsumer = "telemetry";
}
