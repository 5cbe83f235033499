namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>
/// The newest-first form of the search (<see cref="MessageSearch.MatchesSql"/> with a window) looks for a phrase among the
/// newest messages that hold its words; a phrase rare among them is still found in an older message.
/// </summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class SearchWindowTests(WorkerStores stores) : PersistingTest(stores)
{
    private const string Query = "websearch_to_tsquery('english', @q)";

    [Theory]
    [InlineData(null)]
    [InlineData(MessageSearch.PhraseWindow)]
    public async Task A_rare_phrase_of_frequent_words_is_found_behind_a_window_of_messages_that_hold_them(int? window)
    {
        await PersistAsync(Session.Batch(Session.Event("message", new { author_role = "user", content = "Keep the cache warm" })));
        // More newer messages than the window holds, each with both words but not as the phrase.
        await Stores.RowsAsync("""
            WITH c AS (SELECT id, workspace_id FROM conversations WHERE session_id = $1),
            m AS (
                INSERT INTO messages (conversation_id, sequence, event_hash, event_type, emitted_at, received_at, content)
                SELECT c.id, 1000 + n, md5(n::text), 'message', now(), now(), 'the cache stays cold, keep it' FROM c, generate_series(1, $2) n
                RETURNING id, conversation_id, content)
            INSERT INTO message_search (message_id, conversation_id, workspace_id, search_vector)
            SELECT m.id, m.conversation_id, c.workspace_id, to_tsvector('english', m.content) FROM m, c
            """, Session.SessionId, MessageSearch.PhraseWindow + 100);

        var found = await MatchesAsync(window, "\"keep the cache\"");

        Assert.Equal("Keep the cache warm", Assert.Single(found));
    }

    /// <summary>The content of the matches, run as the API runs the form (no bitmap or sequential scans for the walk).</summary>
    private async Task<List<string>> MatchesAsync(int? window, string q)
    {
        await using var connection = await Stores.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (window is not null)
        {
            await using var settings = new NpgsqlCommand("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off", connection, transaction);
            await settings.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(
            $"SELECT m.content FROM ({MessageSearch.MatchesSql(Query, "TRUE", window)}) found JOIN messages m ON m.id = found.message_id",
            connection, transaction);
        command.Parameters.AddWithValue("workspace", Session.WorkspaceId);
        command.Parameters.AddWithValue("q", q);
        var contents = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            contents.Add(reader.GetString(0));
        }

        return contents;
    }
}
