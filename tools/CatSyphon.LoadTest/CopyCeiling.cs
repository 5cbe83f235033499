using System.Diagnostics;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace CatSyphon.LoadTest;

/// <summary>
/// The PostgreSQL COPY ceiling of this machine now: rows/s of the load's message events binary-COPYed into a fresh
/// table shaped like <c>messages</c> (<c>LIKE messages INCLUDING ALL</c>: its columns, identity, primary key, unique
/// and sequence indexes and checks; not its foreign key), dropped afterwards. The ingest's persisted events/s is
/// judged as a share of it.
/// </summary>
/// <remarks>
/// Several COPY streams in parallel, one per core by default: the worker writes from eight lanes at once, and one
/// COPY keeps only one backend (one core) busy, so a single stream would understate what PostgreSQL can take.
/// More streams than cores only contend. Rows go as the load sends them: sessions in turn, 50 events at a time.
/// </remarks>
internal static class CopyCeiling
{
    private const int BatchSize = 50;

    private const string CopySql = """
        COPY {0} (conversation_id, sequence, event_hash, event_type, role, message_type, content, model,
                  input_tokens, output_tokens, cache_read_tokens, raw_data, emitted_at, received_at)
        FROM STDIN (FORMAT BINARY)
        """;

    public static async Task RunAsync(string[] args)
    {
        var values = new CommandLineValues(args);
        var connectionString = values["connection-string"] is { Length: > 0 } given
            ? given
            : throw new ArgumentException("Give the database with --connection-string (the stack's catsyphon database).");
        var rows = values.Number("rows", 1_000_000);
        var sessions = values.Number("sessions", 200);
        var streams = values.Number("streams", Environment.ProcessorCount);
        var contentBytes = values.Number("content-bytes", 500);
        if (rows < sessions || streams > sessions)
        {
            throw new ArgumentException("--rows must be at least --sessions, and --streams at most --sessions.");
        }

        var perSession = rows / sessions;
        var table = $"copy_ceiling_{Guid.NewGuid():N}"[..25];
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await ExecuteAsync(dataSource, $"CREATE TABLE {table} (LIKE messages INCLUDING ALL)");
        try
        {
            Console.WriteLine($"CatSyphon COPY ceiling: {sessions * perSession:N0} message rows (~{contentBytes} B content, raw_data as the load sends it) " +
                              $"into {table} (LIKE messages INCLUDING ALL), {streams} parallel binary COPY streams");
            var ids = Enumerable.Range(0, sessions).Select(_ => Guid.NewGuid()).ToArray();
            var started = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, streams).Select(stream =>
                CopyStreamAsync(dataSource, table, ids.Where((_, i) => i % streams == stream).ToArray(), perSession, contentBytes)));
            var seconds = started.Elapsed.TotalSeconds;
            var copied = (long)sessions * perSession;
            Console.WriteLine($"copy ceiling: {copied:N0} rows in {seconds:F1} s = {copied / seconds:N0} rows/s ({streams} streams)");
        }
        finally
        {
            await ExecuteAsync(dataSource, $"DROP TABLE {table}");
        }
    }

    private static async Task CopyStreamAsync(NpgsqlDataSource dataSource, string table, Guid[] sessions, int perSession, int contentBytes)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(string.Format(CopySql, table));
        var receivedAt = DateTimeOffset.UtcNow;
        var data = new StringBuilder(contentBytes * 2 + 300);
        var content = new StringBuilder(contentBytes + 40);
        for (var from = 1; from <= perSession; from += BatchSize)
        {
            foreach (var session in sessions)
            {
                var sessionId = session.ToString("N");
                for (var sequence = from; sequence < from + BatchSize && sequence <= perSession; sequence++)
                {
                    var message = EventPayload.MessageOf(sequence);
                    var usage = message.Usage;
                    data.Clear();
                    EventPayload.AppendMessageData(data, sessionId, sequence, contentBytes);
                    content.Clear();
                    EventPayload.AppendContent(content, sessionId, sequence, contentBytes);
                    await writer.StartRowAsync();
                    await writer.WriteAsync(session, NpgsqlDbType.Uuid);
                    await writer.WriteAsync((long)sequence, NpgsqlDbType.Bigint);
                    await writer.WriteAsync(EventPayload.RowHash(sessionId, sequence), NpgsqlDbType.Varchar);
                    await writer.WriteAsync("message", NpgsqlDbType.Varchar);
                    await writer.WriteAsync(message.Role, NpgsqlDbType.Varchar);
                    await writer.WriteAsync(message.Type, NpgsqlDbType.Varchar);
                    await writer.WriteAsync(content.ToString(), NpgsqlDbType.Text);
                    await WriteIfAsync(writer, usage?.Model, NpgsqlDbType.Varchar);
                    await WriteIfAsync(writer, usage?.InputTokens, NpgsqlDbType.Bigint);
                    await WriteIfAsync(writer, usage?.OutputTokens, NpgsqlDbType.Bigint);
                    await WriteIfAsync(writer, usage?.CacheReadTokens, NpgsqlDbType.Bigint);
                    await writer.WriteAsync(data.ToString(), NpgsqlDbType.Jsonb);
                    await writer.WriteAsync(EventPayload.EmittedAt(sequence), NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(receivedAt, NpgsqlDbType.TimestampTz);
                }
            }
        }

        await writer.CompleteAsync();
    }

    private static Task WriteIfAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, type);

    private static Task WriteIfAsync(NpgsqlBinaryImporter writer, long? value, NpgsqlDbType type) =>
        value is { } present ? writer.WriteAsync(present, type) : writer.WriteNullAsync();

    /// <summary>One statement, without a time limit (seed-search builds a GIN index of millions of rows with it).</summary>
    internal static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
