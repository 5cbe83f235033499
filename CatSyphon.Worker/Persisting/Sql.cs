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

    /// <summary>One statement on <paramref name="connection"/>, outside any transaction (a job's short writes).</summary>
    public static NpgsqlCommand Statement(NpgsqlConnection connection, string text, params object?[] values)
    {
        var command = new NpgsqlCommand(text, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>
    /// SET items that take each column's incoming value where it has one and keep the stored one otherwise:
    /// <c>column = COALESCE(incoming.column, stored.column)</c>. For statement text built once.
    /// </summary>
    public static string IncomingOrStored(string incoming, string stored, params string[] columns) =>
        string.Join(", ", columns.Select(column => $"{column} = COALESCE({incoming}.{column}, {stored}.{column})"));

    /// <summary>SET items of an upsert that replace each column with the proposed row's: <c>column = EXCLUDED.column</c>.</summary>
    public static string Excluded(IEnumerable<string> columns) =>
        string.Join(", ", columns.Select(column => $"{column} = EXCLUDED.{column}"));
}

/// <summary>The open transaction a persister writes in, and the timeout every command of it gets.</summary>
internal readonly record struct SqlTransaction(NpgsqlConnection Connection, NpgsqlTransaction Transaction, int TimeoutSeconds)
{
    /// <summary>A batch of statements sent in one round trip.</summary>
    public NpgsqlBatch Batch() => new(Connection, Transaction) { Timeout = TimeoutSeconds };
}
