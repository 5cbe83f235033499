using Microsoft.Data.Sqlite;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// A Cursor database opened so that reading it can never disturb Cursor: read-only, unpooled (the file is let go as soon
/// as the read ends), and without creating a <c>-wal</c>/<c>-shm</c> beside a database that has none.
/// </summary>
/// <remarks>
/// A database in WAL mode whose <c>-wal</c> exists has a writer (or had one): it is opened read-only through that log,
/// so what Cursor committed but has not checkpointed is seen, and SQLite's locks keep the read consistent while Cursor
/// writes. One in WAL mode without a <c>-wal</c> has no writer: SQLite would still create the <c>-wal</c> and <c>-shm</c>
/// to read it, so it is opened <c>immutable</c> (no locks, no side files). A rollback-journal database (the old
/// layout's) needs no side file to be read. A locked, busy or corrupt database fails the read with a
/// <see cref="SqliteException"/>, which the parser turns into a warning.
/// </remarks>
internal sealed class CursorDatabase : IDisposable
{
    /// <summary>How long a read waits for Cursor's write lock before the database counts as busy (read again later).</summary>
    private const int BusyTimeoutSeconds = 2;

    private readonly SqliteConnection _connection;

    private CursorDatabase(SqliteConnection connection) => _connection = connection;

    /// <summary>The largest value read (a chat's JSON); a larger one is skipped with a warning.</summary>
    public const int MaxValueBytes = JsonlLineReader.DefaultMaxLineBytes;

    public static CursorDatabase Open(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = IsWalWithoutLog(fullPath) ? new Uri(fullPath).AbsoluteUri + "?immutable=1" : fullPath,
            Mode = SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = BusyTimeoutSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            return new CursorDatabase(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public bool HasTable(string name)
    {
        using var command = Command("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name");
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() is not null;
    }

    /// <summary>Runs <paramref name="sql"/>; the caller adds parameters and reads it.</summary>
    public SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// The value of <paramref name="key"/> in <paramref name="table"/> (<c>ItemTable</c> or <c>cursorDiskKV</c>) as bytes,
    /// text or blob alike; null when absent or over <see cref="MaxValueBytes"/> (then <paramref name="oversized"/>).
    /// </summary>
    public byte[]? Value(string table, string key, out bool oversized)
    {
        using var command = Command($"SELECT {BoundedValue} FROM {table} WHERE key = $key");
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        oversized = false;
        return reader.Read() ? ReadValue(reader, 0, out oversized) : null;
    }

    /// <summary>
    /// SQL giving two columns: a row's value as a blob when it is at most <see cref="MaxValueBytes"/> (else null), and its size.
    /// </summary>
    public static readonly string BoundedValue = Bounded("value");

    /// <summary>The two columns of <see cref="BoundedValue"/> for another column than <c>value</c>.</summary>
    public static string Bounded(string column) =>
        $"CASE WHEN length(CAST({column} AS BLOB)) <= {MaxValueBytes} THEN CAST({column} AS BLOB) END, length(CAST({column} AS BLOB))";

    /// <summary>Reads the two columns of <see cref="BoundedValue"/> starting at <paramref name="ordinal"/>.</summary>
    public static byte[]? ReadValue(SqliteDataReader reader, int ordinal, out bool oversized)
    {
        oversized = reader.IsDBNull(ordinal) && !reader.IsDBNull(ordinal + 1);
        return reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);
    }

    /// <summary>Whether the database's header says WAL mode (read and write versions 2) and no <c>-wal</c> is beside it.</summary>
    private static bool IsWalWithoutLog(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                return false;
            }
        }

        return header[18] == 2 && header[19] == 2 && !File.Exists(path + "-wal");
    }

    public void Dispose() => _connection.Dispose();
}
