using System.Security.Cryptography;
using static CatSyphon.Protocol.Tests.Parsing.CursorTestFolder;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>
/// Reading a Cursor database never disturbs Cursor: a live database in WAL mode is read through its log while its writer
/// holds it open, and neither it nor its log change; a database without a log gets none; a locked, corrupt or foreign
/// file is a warning, never an exception.
/// </summary>
public sealed class CursorDatabaseSafetyTests : IDisposable
{
    private const string Composer = """{"composerId":"live","createdAt":1767261600000,"lastUpdatedAt":1767261600001,"conversation":[{"type":1,"bubbleId":"q","text":"hi"}]}""";

    private readonly CursorTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_database_with_an_open_writer_in_wal_mode_is_read_and_left_as_it_was()
    {
        var path = folder.Database("globalStorage/state.vscdb", "PRAGMA journal_mode=WAL;", KeyValueTables);
        using var writer = Writer(path);
        Execute(writer, "PRAGMA journal_mode=WAL;");
        Execute(writer, "PRAGMA wal_autocheckpoint=0;"); // what Cursor wrote stays in the log, as between checkpoints
        Put(writer, "cursorDiskKV", "composerData:live", Composer);
        Assert.True(File.Exists(path + "-wal"));
        var before = Snapshot(path);

        var (summary, sink) = Parse(path);

        Assert.Empty(summary.Warnings);
        Assert.Equal(["live"], sink.Events.Select(e => e.Session.SessionId).Distinct()); // committed to the log only, and seen
        Assert.Equal(before, Snapshot(path));
    }

    [Fact]
    public void A_wal_database_without_its_log_is_read_without_creating_one()
    {
        var path = folder.Database("globalStorage/state.vscdb", "PRAGMA journal_mode=WAL;", KeyValueTables);
        using (var writer = Writer(path))
        {
            Put(writer, "cursorDiskKV", "composerData:live", Composer);
        }

        Assert.False(File.Exists(path + "-wal")); // the last connection checkpointed and removed it
        var before = Snapshot(path);

        var (_, sink) = Parse(path);

        Assert.Single(sink.OfType("session_start"));
        Assert.False(File.Exists(path + "-wal"));
        Assert.False(File.Exists(path + "-shm"));
        Assert.Equal(before, Snapshot(path));
    }

    [Fact]
    public void A_locked_database_is_a_warning_and_the_mark_stays()
    {
        var path = folder.Database("locked/state.vscdb", KeyValueTables);
        using var writer = Writer(path);
        Put(writer, "cursorDiskKV", "composerData:live", Composer);
        Execute(writer, "BEGIN EXCLUSIVE;");
        Put(writer, "cursorDiskKV", "composerData:other", Composer.Replace("live", "other", StringComparison.Ordinal));

        var (summary, sink) = Parse(path, start: 42);

        Assert.Equal(42, summary.EndOffset);
        Assert.Equal(1, summary.MalformedLines);
        Assert.Contains("read again later", Assert.Single(summary.Warnings), StringComparison.Ordinal);
        Assert.Empty(sink.Events);
        Execute(writer, "ROLLBACK;");
    }

    [Theory]
    [InlineData("not a database at all\n")]
    [InlineData("SQLite format 3\0 and then garbage where the pages should be")]
    [InlineData("")]
    public void A_file_that_is_not_a_readable_database_is_a_warning(string content)
    {
        var path = Path.Combine(folder.Root, "state.vscdb");
        File.WriteAllText(path, content);

        var (summary, sink) = Parse(path);

        Assert.Empty(sink.Events);
        Assert.Equal(0, summary.EndOffset);
    }

    [Fact]
    public void A_database_without_cursors_tables_has_nothing_to_say()
    {
        var path = folder.Database("empty/state.vscdb", "CREATE TABLE unrelated (x INTEGER);");

        var (summary, sink) = Parse(path);

        Assert.Empty(sink.Events);
        Assert.Empty(summary.Warnings);
        Assert.Equal(0, summary.EndOffset);
    }

    [Fact]
    public void A_missing_database_is_a_warning()
    {
        var (summary, sink) = Parse(Path.Combine(folder.Root, "gone", "state.vscdb"), start: 7);

        Assert.Empty(sink.Events);
        Assert.Equal(7, summary.EndOffset);
        Assert.Single(summary.Warnings);
    }

    /// <summary>
    /// The bytes and write times of the database and its log (not of the <c>-shm</c>: that is SQLite's shared memory, where
    /// every reader, Cursor's own included, marks what it reads).
    /// </summary>
    private static string Snapshot(string path) => string.Join("|", new[] { path, path + "-wal" }.Select(file => File.Exists(file)
        ? $"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))}@{File.GetLastWriteTimeUtc(file):O}"
        : "absent"));
}
