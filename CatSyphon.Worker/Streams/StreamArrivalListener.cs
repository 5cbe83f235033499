namespace CatSyphon.Worker.Streams;

/// <summary>
/// Blocks on every ingestion stream at once (<c>XREAD BLOCK</c>, on a connection of its own so the shared
/// multiplexer never waits behind it) and wakes the processor of a stream that got new entries, so an
/// idle worker persists within milliseconds without polling Redis. Without it (Redis down, or this
/// failing) the processors still read every <see cref="IngestionWorkerOptions.BlockTime"/>.
/// </summary>
public sealed class StreamArrivalListener(
    IConfiguration configuration,
    StreamSignals signals,
    IOptions<IngestionWorkerOptions> options,
    ILogger<StreamArrivalListener> logger) : BackgroundService
{
    public static IReadOnlyList<RedisKey> Streams { get; } =
        [.. Enumerable.Range(0, IngestionRedisKeys.ShardCount).Select(IngestionRedisKeys.Shard), IngestionRedisKeys.Jobs, IngestionRedisKeys.Telemetry];

    /// <summary>Pause after a wake-up before listening again: under load the processors are busy anyway.</summary>
    private static readonly TimeSpan WakeUpPause = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var connectionString = configuration.GetConnectionString(ConnectionNames.Redis);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            logger.LogWarning("No Redis connection string: stream processors fall back to polling.");
            return;
        }

        var backoff = settings.RetryBackoffInitial;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var redisOptions = ConfigurationOptions.Parse(connectionString);
                redisOptions.AbortOnConnectFail = false;
                redisOptions.ClientName = "catsyphon-worker-listener";

                // A blocking read may take BlockTime; the command timeout must leave room for it.
                var timeout = (int)Math.Max(5000, settings.BlockTime.TotalMilliseconds + 5000);
                redisOptions.AsyncTimeout = timeout;
                redisOptions.SyncTimeout = timeout;
                await using var connection = await ConnectionMultiplexer.ConnectAsync(redisOptions);
                if (connection.GetServers().Any(server => server.ServerType == ServerType.Cluster))
                {
                    // One XREAD cannot span the shards' slots, and blocking reads per stream would queue behind each other
                    // on the node connections: on a cluster an idle lane reads every BlockTime instead.
                    logger.LogInformation("Redis is a cluster: idle stream processors read every {BlockTime}.", settings.BlockTime);
                    return;
                }

                await ListenAsync(connection.GetDatabase(), settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogDebug(exception, "The stream arrival listener failed; retrying in {Delay}.", backoff);
                try
                {
                    await Task.Delay(backoff, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = settings.NextBackoff(backoff);
            }
        }
    }

    private async Task ListenAsync(IDatabase database, IngestionWorkerOptions settings, CancellationToken stoppingToken)
    {
        // "$": entries that arrive after the command starts. One that slips in between two commands is
        // still read by its processor within BlockTime.
        var arguments = new List<object> { "COUNT", 1, "BLOCK", Math.Max(1, (long)settings.BlockTime.TotalMilliseconds), "STREAMS" };
        arguments.AddRange(Streams.Select(stream => (object)stream));
        arguments.AddRange(Streams.Select(_ => (object)"$"));

        while (!stoppingToken.IsCancellationRequested)
        {
            var result = await database.ExecuteAsync("XREAD", arguments).WaitAsync(stoppingToken);
            if (result.IsNull || result.Resp2Type != ResultType.Array)
            {
                continue;
            }

            foreach (var stream in (RedisResult[])result!)
            {
                signals.Signal((string)((RedisResult[])stream!)[0]!);
            }

            await Task.Delay(WakeUpPause, stoppingToken);
        }
    }
}
