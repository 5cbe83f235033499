using CatSyphon.Protocol.Parsing.Cursor;
using Microsoft.Data.Sqlite;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>Cursor databases built by the tests as the formats doc (§2.2–2.5) describes them, in a folder of their own.</summary>
internal sealed class CursorTestFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("cursor-test-").FullName;

    public static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", "cursor", .. parts]);

    /// <summary>The real workspace database, copied so no test can touch the fixture itself.</summary>
    public string RealWorkspaceDatabase()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Root, "workspaceStorage", "f87f6e0b2cf1ae8645cc0c5ffaa99529")).FullName;
        var path = Path.Combine(folder, "state.vscdb");
        File.Copy(Fixture("slevin48__cursor-history", "state.vscdb"), path);
        return path;
    }

    /// <summary>A new database at <paramref name="relativePath"/> with <paramref name="sql"/> run in it.</summary>
    public string Database(string relativePath, params string[] sql)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = Writer(path);
        foreach (var statement in sql)
        {
            Execute(connection, statement);
        }

        return path;
    }

    /// <summary>A read-write connection (unpooled, so closing it lets the file go).</summary>
    public static SqliteConnection Writer(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>Puts a key/value row in <paramref name="table"/> (a UTF-8 BLOB, as Cursor stores them).</summary>
    public static void Put(SqliteConnection connection, string table, string key, string value) =>
        Execute(connection, $"INSERT INTO {table} (key, value) VALUES ($key, $value)", ("$key", key), ("$value", Encoding.UTF8.GetBytes(value)));

    public const string KeyValueTables = """
        CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);
        CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);
        """;

    public static (ParseSummary Summary, CodexRecordingSink Sink) Parse(string path, long start = 0, ISessionLogParser? parser = null)
    {
        var sink = new CodexRecordingSink();
        // The collector's way: a stream that is not the file, so the parser opens the database by the request's path.
        var summary = (parser ?? new CursorLogParser()).Parse(Stream.Null, new ParseRequest(path, start), sink);
        return (summary, sink);
    }

    public static JsonElement Data(ParsedEvent e) => JsonDocument.Parse(e.Data).RootElement;

    public static IEnumerable<JsonElement> Messages(CodexRecordingSink sink, string role) =>
        sink.OfType("message").Select(Data).Where(m => m.GetProperty("author_role").GetString() == role);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
