using System.Diagnostics.Metrics;
using CatSyphon.ApiService.Apis.Operations;
using CatSyphon.Ingestion;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Monitoring;

/// <summary>
/// The operations gauges (meter <c>CatSyphon.Monitoring</c>): database and table sizes, growth, days until the disk
/// budget is full, dead letters and stale collectors. Measured every <see cref="MonitoringOptions.SampleInterval"/> by
/// this background service, never per scrape, so a scraper cannot load the database; every API replica measures the
/// same database, so alert rules take the <c>max</c> over instances.
/// </summary>
public sealed class OperationsGauges : BackgroundService
{
    public const string MeterName = "CatSyphon.Monitoring";

    private readonly IServiceScopeFactory scopes;
    private readonly IConnectionMultiplexer redis;
    private readonly MonitoringOptions options;
    private readonly CollectorOptions collectors;
    private readonly TimeProvider time;
    private readonly ILogger<OperationsGauges> logger;
    private volatile Sample? last;

    public OperationsGauges(
        IMeterFactory meters, IServiceScopeFactory scopes, IConnectionMultiplexer redis, IOptions<MonitoringOptions> options,
        IOptions<CollectorOptions> collectors, TimeProvider time, ILogger<OperationsGauges> logger)
    {
        (this.scopes, this.redis, this.options, this.collectors, this.time, this.logger) =
            (scopes, redis, options.Value, collectors.Value, time, logger);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("catsyphon.db.size", () => Observe(s => s.Storage.DatabaseBytes), "By", "The database's size on disk");
        meter.CreateObservableGauge("catsyphon.db.table.size", ObserveTables, "By", "Each table's size with its indexes and TOAST");
        meter.CreateObservableGauge("catsyphon.db.growth", () => Observe(s => s.Storage.Growth.BytesPerDay), "By/d",
            "Estimated growth: mean events per day over the growth window times bytes per stored event");
        meter.CreateObservableGauge("catsyphon.disk_budget.size", () => Observe(s => s.Storage.Growth.DiskBudgetBytes), "By",
            "The configured disk budget (Monitoring:DiskBudgetBytes)");
        meter.CreateObservableGauge("catsyphon.disk_budget.days_left", () => Observe(s => s.Storage.Growth.DaysUntilBudgetFull), "{day}",
            "Days until the database reaches the disk budget at the current growth; absent without a budget or growth");
        meter.CreateObservableGauge("catsyphon.ingestion.dead_letters", () => Observe(s => s.DeadLetters), "{entry}",
            "Batches in the dead-letter stream, every workspace");
        meter.CreateObservableGauge("catsyphon.collectors.stale", () => Observe(s => s.StaleCollectors), "{collector}",
            "Active collectors not heard from within Collectors:StaleAfter");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SampleInterval, time);
        try
        {
            do
            {
                await MeasureAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task MeasureAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatSyphonDbContext>();
            var now = time.GetUtcNow();
            var storage = await StorageMeasurement.MeasureAsync(db, new StorageWindow(now, options.GrowthWindowDays), options.DiskBudgetBytes,
                listed: _ => false, cancellationToken);
            var staleBefore = now - collectors.StaleAfter;
            var stale = await db.Collectors.CountAsync(c => c.RevokedAt == null && c.DisabledAt == null && c.HiddenAt == null
                && (c.LastSeenAt == null || c.LastSeenAt < staleBefore), cancellationToken);
            var deadLetters = await redis.GetDatabase().StreamLengthAsync(IngestionRedisKeys.DeadLetters);
            last = new Sample(storage, deadLetters, stale);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The last measurement stays: a database or Redis away for a moment must not blank the alerts' inputs.
            logger.LogWarning(exception, "Could not measure storage, dead letters and stale collectors; the next interval tries again.");
        }
    }

    private IEnumerable<Measurement<double>> Observe(Func<Sample, double?> read) =>
        last is { } sample && read(sample) is { } value ? [new Measurement<double>(value)] : [];

    private IEnumerable<Measurement<long>> ObserveTables() =>
        last?.Storage.Tables.Select(t => new Measurement<long>(t.TotalBytes, new KeyValuePair<string, object?>("table", t.Name))) ?? [];

    private sealed record Sample(StorageReport Storage, long DeadLetters, long StaleCollectors);
}
