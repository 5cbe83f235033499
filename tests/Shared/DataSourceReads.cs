using Npgsql;

namespace CatSyphon.Tests;

/// <summary>
/// Reads PostgreSQL as the tests that check stored rows do: positional parameters (<c>$1</c>, <c>$2</c>, …; null as SQL
/// NULL), and each row as column name to value (SQL NULL as null). One source file, linked into each test project that
/// reads the stores directly, so the worker's tests and the integration tests read rows alike.
/// </summary>
internal static class DataSourceReads
{
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, object?[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        return command;
    }

    public static async Task<List<Dictionary<string, object?>>> RowsAsync(this NpgsqlDataSource dataSource, string sql, params object?[] parameters)
    {
        await using var command = dataSource.Command(sql, parameters);
        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
