namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>Which conversation a batch lands in, how it completes, and how sub-agents find their parents.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class ConversationLifecycleTests(WorkerStores stores) : PersistingTest(stores)
{
    [Fact]
    public async Task A_session_end_completes_the_conversation_and_a_later_completion_keeps_its_end()
    {
        await PersistAsync(Session.Batch(Session.Event("message", new { content = "hi" })));
        Assert.Equal("active", (await ConversationAsync(Session))["status"]);

        var end = Session.Event("session_end", new { outcome = "success", summary = "done" });
        await PersistAsync(Session.Batch(end));
        var ended = await ConversationAsync(Session);
        Assert.Equal(("completed", "success", "done"), (ended["status"], ended["outcome"], ended["summary"]));
        Assert.Equal(end.EmittedAt.UtcDateTime, ended["ended_at"]);

        await PersistAsync(Session.Completion("abandoned", null));
        var completed = await ConversationAsync(Session);
        Assert.Equal(("completed", "abandoned", "done"), (completed["status"], completed["outcome"], completed["summary"]));
        Assert.Equal(end.EmittedAt.UtcDateTime, completed["ended_at"]);
    }

    [Fact]
    public async Task An_explicit_completion_without_an_end_event_ends_when_it_arrived()
    {
        var completion = Session.Completion("success", "all good");

        await PersistAsync(completion);

        var conversation = await ConversationAsync(Session);
        Assert.Equal(("completed", "success", "all good"), (conversation["status"], conversation["outcome"], conversation["summary"]));
        Assert.Equal(completion.ReceivedAt.UtcDateTime, conversation["ended_at"]);
    }

    [Fact]
    public async Task A_stored_session_keeps_its_conversation_id_when_a_batch_proposes_another()
    {
        await PersistAsync(Session.Batch(Session.Event("message", new { content = "one" })));

        var other = new TestSession(Session.WorkspaceId, Session.CollectorId, Session.SessionId) { ConversationId = Guid.CreateVersion7() };
        var result = await PersistAsync(other.Batch(2, 2, other.Event("message", new { content = "two" }) with { Sequence = 2, EventHash = "two" }));

        Assert.Equal(1, result.EventsInserted);
        var conversation = await ConversationAsync(Session);
        Assert.Equal(Session.ConversationId, conversation["id"]);
        Assert.Equal(2, conversation["event_count"]);
        Assert.Equal(1L, await Stores.CountAsync("SELECT session_count FROM collectors WHERE id = $1", Session.CollectorId));
    }

    [Fact]
    public async Task A_stream_entry_without_a_conversation_id_takes_the_one_in_its_session_state()
    {
        var answered = Guid.CreateVersion7();
        await Stores.Redis.GetDatabase().HashSetAsync(
            IngestionRedisKeys.SessionState(Session.WorkspaceId, Session.SessionId), "conversation_id", answered.ToString());
        var batch = Session.Batch(Session.Event("message", new { content = "hi" })) with { ConversationId = Guid.Empty };

        await Persister.PersistAsync([Entry(BufferedBatchSerializer.Serialize(batch))], CancellationToken.None);

        Assert.Equal(answered, (await ConversationAsync(Session))["id"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_sub_agent_is_linked_to_its_parent_whichever_arrives_first(bool parentFirst)
    {
        var parent = Session;
        var child = new TestSession(parent.WorkspaceId, parent.CollectorId);
        var parentBatch = parent.Batch(parent.Event("session_start", new { agent_type = "claude-code" }));
        var childBatch = child.Batch(child.Event("session_start", new { agent_type = "claude-code", parent_session_id = parent.SessionId }));

        await PersistAsync(parentFirst ? parentBatch : childBatch);
        await PersistAsync(parentFirst ? childBatch : parentBatch);

        var linked = await ConversationAsync(child);
        Assert.Equal(parent.SessionId, linked["parent_session_id"]);
        Assert.Equal(parent.ConversationId, linked["parent_conversation_id"]);
    }

    private Task<Dictionary<string, object?>> ConversationAsync(TestSession session) =>
        Stores.RowAsync("SELECT * FROM conversations WHERE workspace_id = $1 AND session_id = $2", session.WorkspaceId, session.SessionId);
}
