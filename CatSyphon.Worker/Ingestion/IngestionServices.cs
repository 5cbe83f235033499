using CatSyphon.Data;
using CatSyphon.Ingestion;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace CatSyphon.Worker.Ingestion;

/// <summary>Runs one <see cref="StreamLane"/> per shard stream plus one for the refused-jobs stream.</summary>
public sealed class IngestionLanesService(
    IConnectionMultiplexer redis,
    StreamSignals signals,
    IngestionTelemetry telemetry,
    BatchPersister batchPersister,
    JobPersister jobPersister,
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
                $"shard {shard}", IngestionRedisKeys.Shard(shard), IngestionRedisKeys.ShardLease(shard), IngestionRedisKeys.ShardConsumer(shard), batchPersister))
            .Append(new StreamLaneDefinition("jobs", IngestionRedisKeys.Jobs, WorkerRedisKeys.JobsLease, WorkerRedisKeys.JobsConsumer, jobPersister));

        // Each lane on its own task: one slow or backing-off stream never holds up the others.
        return Task.WhenAll(definitions.Select(definition =>
            Task.Run(() => new StreamLane(definition, redis, signals, telemetry, settings, logger).RunAsync(stoppingToken), CancellationToken.None)));
    }
}

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

public static class IngestionServiceCollectionExtensions
{
    /// <summary>The ingestion worker: options (section <c>Ingestion</c>), its data source, persisters and background services.</summary>
    public static IHostApplicationBuilder AddIngestionWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionWorkerOptions>()
            .Bind(builder.Configuration.GetSection(IngestionWorkerOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.RetryBackoffMax >= o.RetryBackoffInitial, "Ingestion:RetryBackoffMax must not be less than RetryBackoffInitial.")
            .ValidateOnStart();

        builder.Services.AddSingleton(services =>
        {
            var connectionString = builder.Configuration.GetConnectionString(CatSyphonDbContext.ConnectionName)
                ?? throw new InvalidOperationException($"ConnectionStrings:{CatSyphonDbContext.ConnectionName} is not configured.");
            var dataSource = new NpgsqlDataSourceBuilder(connectionString)
            {
                Name = "catsyphon-ingestion",
            };
            dataSource.UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
            return new IngestionDatabase(dataSource.Build());
        });

        builder.Services.AddSingleton<IngestionTelemetry>();
        builder.Services.AddSingleton<StreamSignals>();
        builder.Services.AddSingleton<BatchPersister>();
        builder.Services.AddSingleton<JobPersister>();
        builder.Services.AddHostedService<StreamArrivalListener>();
        builder.Services.AddHostedService<IngestionLanesService>();
        builder.Services.AddHostedService<StreamLagMonitor>();
        return builder;
    }
}
