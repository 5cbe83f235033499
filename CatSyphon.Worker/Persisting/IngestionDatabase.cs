namespace CatSyphon.Worker.Persisting;

/// <summary>
/// The worker's own Npgsql data source for the hot path (binary COPY, batched statements); EF Core's
/// DbContext stays registered for the readiness check and anything that is not throughput-bound.
/// </summary>
public sealed class IngestionDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
