namespace CatSyphon.Worker.Persisting;

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
}

/// <summary>The open transaction a persister writes in, and the timeout every command of it gets.</summary>
internal readonly record struct SqlTransaction(NpgsqlConnection Connection, NpgsqlTransaction Transaction, int TimeoutSeconds)
{
    /// <summary>A batch of statements sent in one round trip.</summary>
    public NpgsqlBatch Batch() => new(Connection, Transaction) { Timeout = TimeoutSeconds };
}
