using Npgsql;

namespace CatSyphon.Worker.Ingestion;

/// <summary>
/// The worker's own Npgsql data source for the hot path (binary COPY, batched statements); EF Core's
/// DbContext stays registered for the readiness check and anything that is not throughput-bound.
/// </summary>
public sealed class IngestionDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

/// <summary>Small helpers to build positional-parameter batch commands.</summary>
internal static class Sql
{
    public static NpgsqlBatchCommand Command(string text, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(text);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    public static NpgsqlBatch Batch(NpgsqlConnection connection, NpgsqlTransaction transaction, int timeoutSeconds) =>
        new(connection, transaction) { Timeout = timeoutSeconds };
}
