namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>Which conversation a batch lands in, how it completes, and how sub-agents find their parents.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class ConversationLifecycleTests(WorkerStores stores)
{
    [Fact]
    public async Task A_session_end_completes_the_conversation_and_a_later_completion_keeps_its_end()
    {
        var session = await stores.NewSessionAsync();
        var persister = stores.CreateBatchPersister();
        await persister.PersistAsync([session.Batch(session.Event("message", new { content = "hi" }))], CancellationToken.None);
        Assert.Equal("active", (await ConversationAsync(session))["status"]);

        var end = session.Event("session_end", new { outcome = "success", summary = "done" });
        await persister.PersistAsync([session.Batch(end)], CancellationToken.None);
        var ended = await ConversationAsync(session);
        Assert.Equal(("completed", "success", "done"), (ended["status"], ended["outcome"], ended["summary"]));
        Assert.Equal(end.EmittedAt.UtcDateTime, ended["ended_at"]);

        await persister.PersistAsync([session.Completion("abandoned", null)], CancellationToken.None);
        var completed = await ConversationAsync(session);
        Assert.Equal(("completed", "abandoned", "done"), (completed["status"], completed["outcome"], completed["summary"]));
        Assert.Equal(end.EmittedAt.UtcDateTime, completed["ended_at"]);
    }

    [Fact]
    public async Task An_explicit_completion_without_an_end_event_ends_when_it_arrived()
    {
        var session = await stores.NewSessionAsync();
        var completion = session.Completion("success", "all good");

        await stores.CreateBatchPersister().PersistAsync([completion], CancellationToken.None);

        var conversation = await ConversationAsync(session);
        Assert.Equal(("completed", "success", "all good"), (conversation["status"], conversation["outcome"], conversation["summary"]));
        Assert.Equal(completion.ReceivedAt.UtcDateTime, conversation["ended_at"]);
    }

    [Fact]
    public async Task A_stored_session_keeps_its_conversation_id_when_a_batch_proposes_another()
    {
        var session = await stores.NewSessionAsync();
        var persister = stores.CreateBatchPersister();
        await persister.PersistAsync([session.Batch(session.Event("message", new { content = "one" }))], CancellationToken.None);

        var other = new TestSession(session.WorkspaceId, session.CollectorId, session.SessionId) { ConversationId = Guid.CreateVersion7() };
        var result = await persister.PersistAsync([other.Batch(2, 2, other.Event("message", new { content = "two" }) with { Sequence = 2, EventHash = "two" })], CancellationToken.None);

        Assert.Equal(1, result.EventsInserted);
        var conversation = await ConversationAsync(session);
        Assert.Equal(session.ConversationId, conversation["id"]);
        Assert.Equal(2, conversation["event_count"]);
        Assert.Equal(1L, await stores.CountAsync("SELECT session_count FROM collectors WHERE id = $1", session.CollectorId));
    }

    [Fact]
    public async Task A_stream_entry_without_a_conversation_id_takes_the_one_in_its_session_state()
    {
        var session = await stores.NewSessionAsync();
        var answered = Guid.CreateVersion7();
        await stores.Redis.GetDatabase().HashSetAsync(
            IngestionRedisKeys.SessionState(session.WorkspaceId, session.SessionId), "conversation_id", answered.ToString());
        var batch = session.Batch(session.Event("message", new { content = "hi" })) with { ConversationId = Guid.Empty };
        var entry = new StreamEntry("1-0", [new NameValueEntry(IngestionRedisKeys.PayloadField, BufferedBatchSerializer.Serialize(batch))]);

        await stores.CreateBatchPersister().PersistAsync([entry], CancellationToken.None);

        Assert.Equal(answered, (await ConversationAsync(session))["id"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_sub_agent_is_linked_to_its_parent_whichever_arrives_first(bool parentFirst)
    {
        var parent = await stores.NewSessionAsync();
        var child = new TestSession(parent.WorkspaceId, parent.CollectorId);
        var parentBatch = parent.Batch(parent.Event("session_start", new { agent_type = "claude-code" }));
        var childBatch = child.Batch(child.Event("session_start", new { agent_type = "claude-code", parent_session_id = parent.SessionId }));
        var persister = stores.CreateBatchPersister();

        await persister.PersistAsync([parentFirst ? parentBatch : childBatch], CancellationToken.None);
        await persister.PersistAsync([parentFirst ? childBatch : parentBatch], CancellationToken.None);

        var linked = await ConversationAsync(child);
        Assert.Equal(parent.SessionId, linked["parent_session_id"]);
        Assert.Equal(parent.ConversationId, linked["parent_conversation_id"]);
    }

    private Task<Dictionary<string, object?>> ConversationAsync(TestSession session) =>
        stores.RowAsync("SELECT * FROM conversations WHERE workspace_id = $1 AND session_id = $2", session.WorkspaceId, session.SessionId);
}
