namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>
/// Events of an erased session still in a stream (accepted before its erasure, or resent) never re-create it: the set's
/// other sessions are stored as usual, the erased one gets no row of any kind.
/// </summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class ErasedSessionTests(WorkerStores stores) : PersistingTest(stores)
{
    [Fact]
    public async Task A_set_with_an_erased_session_stores_the_others_and_nothing_of_it()
    {
        var erased = new TestSession(Session.WorkspaceId, Session.CollectorId);
        await using (var connection = await Stores.DataSource.OpenConnectionAsync())
        await using (var tombstone = new NpgsqlCommand(
            "INSERT INTO erased_sessions (workspace_id, session_id, erased_at) VALUES ($1, $2, now())", connection)
            {
                Parameters = { new() { Value = erased.WorkspaceId }, new() { Value = erased.SessionId } },
            })
        {
            await tombstone.ExecuteNonQueryAsync();
        }

        var result = await PersistAsync(
            erased.Batch(erased.Event("session_start", new { agent_type = "claude-code" }), erased.Event("message", new { content = "secret" })),
            Session.Batch(Session.Event("session_start", new { agent_type = "claude-code" }), Session.Event("message", new { content = "kept" })),
            erased.Completion("success", "done"));

        Assert.Equal((2, 2), (result.EventsInserted, result.EventsReceived));
        Assert.Equal([Session.SessionId], result.Sessions.Select(s => s.SessionId));
        Assert.Equal(0, await Stores.CountAsync("SELECT count(*) FROM conversations WHERE session_id = $1", erased.SessionId));
        Assert.Equal(0, await Stores.CountAsync("SELECT count(*) FROM ingestion_jobs WHERE session_id = $1", erased.SessionId));
        Assert.Equal(2, await Stores.CountAsync(
            "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.session_id = $1", Session.SessionId));
    }
}
