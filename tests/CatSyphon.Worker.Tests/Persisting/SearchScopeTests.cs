namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>
/// A search reads only its own workspace's message_search rows: the worker writes each row's workspace, and every way
/// the planner may take to the matches (the GIN index for a selective term, the newest-first walk for a common one)
/// finds them through an index condition on the workspace, never a scan that filters afterwards.
/// </summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class SearchScopeTests(WorkerStores stores) : PersistingTest(stores)
{
    [Fact]
    public async Task The_worker_writes_the_conversation_s_workspace_into_its_search_rows()
    {
        await PersistAsync(Session.Batch(
            Session.Event("message", new { author_role = "user", content = "Fix the parser" }),
            Session.Event("message", new { author_role = "assistant", content = "The parser is fixed" })));

        var rows = await Stores.RowsAsync(
            "SELECT s.workspace_id FROM message_search s JOIN conversations c ON c.id = s.conversation_id WHERE c.session_id = $1", Session.SessionId);
        Assert.Equal([Session.WorkspaceId, Session.WorkspaceId], rows.Select(row => (Guid)row["workspace_id"]!));
    }

    [Theory]
    [InlineData("enable_bitmapscan", null)]   // left: the backward walk of (workspace_id, message_id)
    [InlineData("enable_indexscan", null)]    // left: the (workspace_id, search_vector) GIN index
    [InlineData("enable_bitmapscan", MessageSearch.RankedMatches)]   // the newest-first form, as the API runs it
    [InlineData("enable_indexscan", MessageSearch.PhraseWindow)]
    public async Task Every_plan_of_the_search_reads_message_search_through_its_workspace(string disabled, int? window)
    {
        await using var connection = await Stores.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var settings = new NpgsqlCommand($"SET LOCAL enable_seqscan = off; SET LOCAL {disabled} = off", connection, transaction))
        {
            await settings.ExecuteNonQueryAsync();
        }

        var sql = MessageSearch.MatchesSql("websearch_to_tsquery('english', @q)", "TRUE", window);
        await using var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) {sql}", connection, transaction);
        explain.Parameters.AddWithValue("workspace", Session.WorkspaceId);
        explain.Parameters.AddWithValue("q", "parser");
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);

        var reads = Nodes(plan.RootElement[0].GetProperty("Plan")).Where(node => node.TryGetProperty("Relation Name", out var relation)
            && relation.GetString() == "message_search").ToList();
        Assert.NotEmpty(reads);
        foreach (var read in reads)
        {
            var condition = read.TryGetProperty("Index Cond", out var index) ? index.GetString()
                : read.TryGetProperty("Recheck Cond", out var recheck) ? recheck.GetString() : null;
            Assert.True(condition?.Contains("workspace_id =", StringComparison.Ordinal) == true, $"{disabled} off, window {window}: {read}");
        }
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement node) =>
        node.TryGetProperty("Plans", out var children)
            ? children.EnumerateArray().SelectMany(Nodes).Prepend(node)
            : [node];
}
