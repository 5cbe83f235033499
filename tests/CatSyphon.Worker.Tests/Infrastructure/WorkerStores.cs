using CatSyphon.Tests;

namespace CatSyphon.Worker.Tests.Infrastructure;

/// <summary>The real PostgreSQL and Redis the worker writes to, started once for every test class of <see cref="WorkerStoresCollection"/>.</summary>
public sealed class WorkerStores : IAsyncLifetime
{
    private LocalPostgres? postgres;
    private LocalRedis? redis;
    private NpgsqlDataSource? dataSource;

    public NpgsqlDataSource DataSource => dataSource ?? throw new InvalidOperationException("Not started.");

    public IConnectionMultiplexer Redis => redis?.Connection ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        // Both at once: each takes a second or two.
        var startingPostgres = LocalPostgres.StartAsync();
        var startingRedis = LocalRedis.StartAsync();
        postgres = await startingPostgres;
        redis = await startingRedis;
        dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }

        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    internal BatchPersister CreateBatchPersister() =>
        new(new IngestionDatabase(DataSource), Redis, Options.Create(new IngestionWorkerOptions()));

    internal JobPersister CreateJobPersister() => new(new IngestionDatabase(DataSource), Options.Create(new IngestionWorkerOptions()));

    internal TelemetryPersister CreateTelemetryPersister() =>
        new(new IngestionDatabase(DataSource), Redis, Options.Create(new IngestionWorkerOptions()));

    /// <summary>A new workspace (of a new organization) with one collector, as the API's registration would leave them.</summary>
    public async Task<(Guid WorkspaceId, Guid CollectorId)> CreateWorkspaceAsync()
    {
        await using var db = postgres!.CreateContext();
        var suffix = Guid.NewGuid().ToString("N");
        var organization = new Organization { Name = "Test organization", Slug = $"org-{suffix}" };
        var workspace = new Workspace { Organization = organization, Name = "Test workspace", Slug = $"ws-{suffix}" };
        var collector = new Collector
        {
            Workspace = workspace,
            CollectorType = "test",
            CollectorVersion = "1.0",
            Hostname = "test-host",
            ApiKeyHash = Guid.NewGuid().ToByteArray(),
            ApiKeyPrefix = suffix[..8],
        };
        db.AddRange(organization, workspace, collector);
        await db.SaveChangesAsync();
        return (workspace.Id, collector.Id);
    }

    /// <summary>A new session of a collector of a new workspace.</summary>
    internal async Task<TestSession> NewSessionAsync()
    {
        var (workspaceId, collectorId) = await CreateWorkspaceAsync();
        return new TestSession(workspaceId, collectorId);
    }

    /// <summary>The rows of a query, each as column name to value (SQL NULL as null).</summary>
    public Task<List<Dictionary<string, object?>>> RowsAsync(string sql, params object?[] parameters) => DataSource.RowsAsync(sql, parameters);

    public async Task<Dictionary<string, object?>> RowAsync(string sql, params object?[] parameters) => Assert.Single(await RowsAsync(sql, parameters));

    public async Task<long> CountAsync(string sql, params object?[] parameters) => Convert.ToInt64((await RowAsync(sql, parameters)).Values.Single());
}

[CollectionDefinition(Name)]
public sealed class WorkerStoresCollection : ICollectionFixture<WorkerStores>
{
    public const string Name = "PostgreSQL and Redis";
}
