using System.Diagnostics;
using System.Text;
using CatSyphon.Data;
using Npgsql;
using NpgsqlTypes;

namespace CatSyphon.LoadTest;

/// <summary>
/// Fills the database for the search measurements much faster than ingestion can (about 5,000 events/s here): a
/// workspace's conversations of <see cref="SearchText"/> messages, and as many events again in other workspaces
/// (created here), written straight into PostgreSQL with binary COPY: the conversations, messages and message_search
/// rows the worker would write for those events. The vectors are built here from the words' lexemes
/// (<see cref="SearchText.LexemesAsync"/>); the first chunk checks them against the worker's SQL, <see cref="MessageSearch.VectorSql"/>.
/// </summary>
/// <remarks>
/// Conversations of all workspaces are written interleaved, one conversation after another in turn, as concurrent
/// collectors would; one transaction per chunk of conversations on each of several connections (one per core).
/// </remarks>
internal static class SearchSeed
{
    private const int ConversationsPerChunk = 50;
    private static readonly DateTimeOffset Start = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private const string CopyConversationsSql = """
        COPY conversations (id, workspace_id, session_id, agent_type, status, started_at, ended_at, first_event_at, last_event_at,
                            message_count, tool_call_count, event_count, last_sequence, persisted_sequence, has_plan, has_errors,
                            created_at, updated_at)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string CopyMessagesSql = """
        COPY messages (id, conversation_id, sequence, event_hash, event_type, role, message_type, content, raw_data, emitted_at, received_at)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string CopySearchSql = "COPY message_search (message_id, conversation_id, workspace_id, search_vector) FROM STDIN (FORMAT BINARY)";

    // Rows whose vector is not what the worker's SQL computes from the message: none, or the seed is wrong.
    private const string CheckSearchSql = $"""
        SELECT count(*) FROM message_search s JOIN messages m ON m.id = s.message_id
        WHERE m.conversation_id = ANY(@conversations) AND s.search_vector <> {MessageSearch.VectorSql}
        """;

    public static async Task RunAsync(string[] args)
    {
        var values = new CommandLineValues(args);
        var connectionString = values["connection-string"] is { Length: > 0 } given
            ? given
            : throw new ArgumentException("Give the database with --connection-string (the stack's catsyphon database).");
        var workspace = Guid.TryParse(values["workspace"], out var parsed)
            ? parsed
            : throw new ArgumentException("Give the workspace to fill with --workspace <id> (create it with the API first).");
        var events = values.Number("events", 300_000);
        var otherEvents = values.Number("other-events", 3_000_000);
        var others = values.Number("other-workspaces", 30);
        var perConversation = values.Number("events-per-conversation", 100);
        var streams = values.Number("streams", Environment.ProcessorCount);
        if (events < perConversation || otherEvents < perConversation * others)
        {
            throw new ArgumentException("--events must be at least --events-per-conversation, and --other-events that times --other-workspaces.");
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var otherIds = await CreateWorkspacesAsync(dataSource, workspace, others);
        // Workspace of each conversation, interleaved: the workspace's conversations spread evenly among the others'.
        var total = (events + otherEvents) / perConversation;
        var ours = events / perConversation;
        var owners = Enumerable.Range(0, total)
            .Select(i => (long)i * ours / total != (long)(i + 1) * ours / total ? workspace : otherIds[i % otherIds.Length]).ToArray();
        Console.WriteLine($"CatSyphon search seed: {ours * perConversation:N0} events in workspace {workspace}, " +
                          $"{(total - ours) * perConversation:N0} in {others} other workspaces, {perConversation} per conversation, {streams} streams");

        var lexemes = await SearchText.LexemesAsync(dataSource);
        var firstId = await ReserveMessageIdsAsync(dataSource, (long)total * perConversation);
        var started = Stopwatch.StartNew();
        var searchIndex = await DropSearchIndexAsync(dataSource);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async stream =>
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref next)) * ConversationsPerChunk < total)
            {
                var from = chunk * ConversationsPerChunk;
                var chunkOwners = owners[from..Math.Min(total, from + ConversationsPerChunk)];
                await WriteChunkAsync(dataSource, new Chunk(chunkOwners, from, perConversation, firstId + (long)from * perConversation), lexemes);
            }
        }));
        await CopyCeiling.ExecuteAsync(dataSource, $"SET maintenance_work_mem = '1GB'; {searchIndex}; ANALYZE conversations; ANALYZE messages; ANALYZE message_search");
        var seconds = started.Elapsed.TotalSeconds;
        Console.WriteLine($"seeded: {(long)total * perConversation:N0} events in {seconds:F1} s = {total * perConversation / seconds:N0} events/s");
    }

    /// <summary>
    /// The first of <paramref name="count"/> message ids taken from the identity's sequence, so every stream writes its
    /// rows' ids (message_search refers to them) and ids follow the conversations' order, as if stored one after another.
    /// </summary>
    private static async Task<long> ReserveMessageIdsAsync(NpgsqlDataSource dataSource, long count)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT setval(pg_get_serial_sequence('messages', 'id'), nextval(pg_get_serial_sequence('messages', 'id')) + $1) - $1");
        command.Parameters.AddWithValue(count);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Drops message_search's GIN index and returns the statement that builds it again, which the seed runs at its end:
    /// inserting millions of rows' lexemes into a GIN index one row at a time is what made seeding slow (about 1,000
    /// events/s here), and one CREATE INDEX sorts them all at once. The index comes out the same as the migration's.
    /// </summary>
    private static async Task<string> DropSearchIndexAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = 'message_search' AND i.indexdef LIKE '% USING gin %'
            """);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException("message_search has no GIN index: is the database migrated?");
        }

        var (name, definition) = (reader.GetString(0), reader.GetString(1));
        await reader.CloseAsync();
        await CopyCeiling.ExecuteAsync(dataSource, $"DROP INDEX {name}");
        return definition;
    }

    /// <summary>The other workspaces, in the given workspace's organization.</summary>
    private static async Task<Guid[]> CreateWorkspacesAsync(NpgsqlDataSource dataSource, Guid workspace, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO workspaces (id, organization_id, name, slug, collector_registration, created_at, updated_at)
            SELECT u.id, w.organization_id, 'Search seed ' || u.n, 'seed-' || left(u.id::text, 8) || '-' || u.n, w.collector_registration, now(), now()
            FROM unnest($2::uuid[]) WITH ORDINALITY AS u(id, n), workspaces w
            WHERE w.id = $1
            """);
        command.Parameters.AddWithValue(workspace);
        command.Parameters.AddWithValue(ids);
        if (await command.ExecuteNonQueryAsync() != count)
        {
            throw new InvalidOperationException($"Workspace {workspace} does not exist.");
        }

        return ids;
    }

    /// <summary>Conversations <paramref name="First"/>.. of the seed, their workspaces, and the id of their first message.</summary>
    private sealed record Chunk(Guid[] Owners, int First, int PerConversation, long FirstMessageId);

    private static async Task WriteChunkAsync(NpgsqlDataSource dataSource, Chunk chunk, string[] lexemes)
    {
        var conversations = chunk.Owners.Select(_ => Guid.CreateVersion7()).ToArray();
        var perConversation = chunk.PerConversation;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(CopyConversationsSql))
        {
            for (var i = 0; i < conversations.Length; i++)
            {
                var begun = Start.AddMinutes(chunk.First + i);
                var ended = begun.AddSeconds(perConversation * 10);
                await writer.WriteRowAsync(default, conversations[i], chunk.Owners[i], $"seed-{conversations[i]:N}", "claude-code", "completed",
                    begun, ended, begun, ended, perConversation, 0, perConversation, (long)perConversation, (long)perConversation, false, false, ended, ended);
            }

            await writer.CompleteAsync();
        }

        var random = new Random(chunk.First);
        var text = new StringBuilder(1024);
        var data = new StringBuilder(1280);
        var ranks = new List<int>(100);
        var vectors = new List<byte[]>(conversations.Length * perConversation);
        await using (var writer = await connection.BeginBinaryImportAsync(CopyMessagesSql))
        {
            for (var i = 0; i < conversations.Length; i++)
            {
                for (var sequence = 1; sequence <= perConversation; sequence++)
                {
                    var message = EventPayload.MessageOf(sequence);
                    text.Clear();
                    SearchText.AppendMessage(text, ranks, random);
                    vectors.Add(SearchText.Vector(ranks, lexemes));
                    data.Clear().Append("{\"author_role\":\"").Append(message.Role).Append("\",\"message_type\":\"").Append(message.Type)
                        .Append("\",\"content\":\"").Append(text).Append("\"}");
                    await writer.StartRowAsync();
                    await writer.WriteAsync(chunk.FirstMessageId + vectors.Count - 1, NpgsqlDbType.Bigint);
                    await writer.WriteAsync(conversations[i], NpgsqlDbType.Uuid);
                    await writer.WriteAsync((long)sequence, NpgsqlDbType.Bigint);
                    await writer.WriteAsync(EventPayload.RowHash(conversations[i].ToString(), sequence), NpgsqlDbType.Varchar);
                    await writer.WriteAsync("message", NpgsqlDbType.Varchar);
                    await writer.WriteAsync(message.Role, NpgsqlDbType.Varchar);
                    await writer.WriteAsync(message.Type, NpgsqlDbType.Varchar);
                    await writer.WriteAsync(text.ToString(), NpgsqlDbType.Text);
                    await writer.WriteAsync(data.ToString(), NpgsqlDbType.Jsonb);
                    await writer.WriteAsync(Start.AddMinutes(chunk.First + i).AddSeconds(sequence * 10), NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                }
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync(CopySearchSql))
        {
            for (var n = 0; n < vectors.Count; n++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(chunk.FirstMessageId + n, NpgsqlDbType.Bigint);
                await writer.WriteAsync(conversations[n / perConversation], NpgsqlDbType.Uuid);
                await writer.WriteAsync(chunk.Owners[n / perConversation], NpgsqlDbType.Uuid);
                // The tsvector's binary form, as its raw bytes (SearchText.Vector).
                await writer.WriteAsync(vectors[n], NpgsqlDbType.Bytea);
            }

            await writer.CompleteAsync();
        }

        if (chunk.First == 0)
        {
            await using var check = new NpgsqlCommand(CheckSearchSql, connection, transaction);
            check.Parameters.AddWithValue("conversations", conversations);
            if ((long)(await check.ExecuteScalarAsync())! != 0)
            {
                throw new InvalidOperationException("The seeded search vectors differ from what the worker's SQL computes.");
            }
        }

        await transaction.CommitAsync();
    }
}
