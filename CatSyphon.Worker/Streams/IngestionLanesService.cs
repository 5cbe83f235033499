namespace CatSyphon.Worker.Streams;

/// <summary>Runs one <see cref="StreamLane"/> per shard stream plus one for the refused-jobs stream and one for OTLP telemetry.</summary>
public sealed class IngestionLanesService(
    IConnectionMultiplexer redis,
    StreamSignals signals,
    IngestionTelemetry telemetry,
    BatchPersister batchPersister,
    JobPersister jobPersister,
    TelemetryPersister telemetryPersister,
    IOptions<IngestionWorkerOptions> options,
    ILoggerFactory loggerFactory) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            loggerFactory.CreateLogger<IngestionLanesService>().LogWarning("Ingestion is disabled on this replica (Ingestion:Enabled=false).");
            return Task.CompletedTask;
        }

        var logger = loggerFactory.CreateLogger<StreamLane>();
        var definitions = Enumerable.Range(0, IngestionRedisKeys.ShardCount)
            .Select(shard => new StreamLaneDefinition(
                $"shard {shard}", IngestionRedisKeys.Shard(shard), IngestionRedisKeys.ShardConsumer(shard), batchPersister))
            .Append(new StreamLaneDefinition("jobs", IngestionRedisKeys.Jobs, WorkerRedisKeys.JobsConsumer, jobPersister))
            .Append(new StreamLaneDefinition("telemetry", IngestionRedisKeys.Telemetry, WorkerRedisKeys.TelemetryConsumer, telemetryPersister));

        // Each lane on its own task: one slow or backing-off stream never holds up the others.
        return Task.WhenAll(definitions.Select(definition =>
            Task.Run(() => new StreamLane(definition, redis, signals, telemetry, settings, logger).RunAsync(stoppingToken), CancellationToken.None)));
    }
}
