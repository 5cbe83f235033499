namespace CatSyphon.Worker.Streams;

/// <summary>Reads the shard streams' lengths now and then for the <c>catsyphon.ingestion.stream.lag</c> gauge.</summary>
public sealed class StreamLagMonitor(
    IConnectionMultiplexer redis,
    IngestionTelemetry telemetry,
    IOptions<IngestionWorkerOptions> options,
    ILogger<StreamLagMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LagPollInterval);
        do
        {
            try
            {
                var database = redis.GetDatabase();
                var lengths = await Task.WhenAll(Enumerable.Range(0, IngestionRedisKeys.ShardCount)
                    .Select(shard => database.StreamLengthAsync(IngestionRedisKeys.Shard(shard))));
                telemetry.StreamLag = lengths.Sum();
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(exception, "Could not read the ingestion streams' lengths.");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
