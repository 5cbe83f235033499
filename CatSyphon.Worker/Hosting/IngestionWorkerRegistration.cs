namespace CatSyphon.Worker.Hosting;

public static class IngestionWorkerRegistration
{
    /// <summary>The ingestion worker: options (section <c>Ingestion</c>), its data source, persisters and background services.</summary>
    public static IHostApplicationBuilder AddIngestionWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<IngestionWorkerOptions>(IngestionWorkerOptions.SectionName)
            .Validate(o => o.RetryBackoffMax >= o.RetryBackoffInitial, "Ingestion:RetryBackoffMax must not be less than RetryBackoffInitial.");

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
        builder.Services.AddSingleton<TelemetryPersister>();
        builder.Services.AddHostedService<StreamArrivalListener>();
        builder.Services.AddHostedService<IngestionLanesService>();
        builder.Services.AddHostedService<LegacyStreamDrain>();
        builder.Services.AddHostedService<StreamLagMonitor>();
        builder.Services.AddHostedService<TitleBackfill>();
        return builder;
    }
}
