namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>The token ledger counts each API response once; a tool call and its result meet in one row whichever comes first.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class TokenUsageAndToolCallTests(WorkerStores stores)
{
    [Fact]
    public async Task A_main_session_copy_of_a_response_replaces_a_sub_agent_copy_and_a_larger_copy_a_smaller_one()
    {
        var main = await stores.NewSessionAsync();
        var subAgent = new TestSession(main.WorkspaceId, main.CollectorId);
        var persister = stores.CreateBatchPersister();

        await persister.PersistAsync([subAgent.Batch(Usage(subAgent, 500, fromSubAgent: true))], CancellationToken.None);
        Assert.Equal((subAgent.ConversationId, 500L, true), await LedgerAsync(main.WorkspaceId));

        await persister.PersistAsync([main.Batch(Usage(main, 100, fromSubAgent: false))], CancellationToken.None);
        Assert.Equal((main.ConversationId, 100L, false), await LedgerAsync(main.WorkspaceId));

        // Within one set the best copy wins too: the larger of the main session's.
        await persister.PersistAsync([main.Batch(Usage(main, 90, fromSubAgent: false), Usage(main, 300, fromSubAgent: false))], CancellationToken.None);
        Assert.Equal((main.ConversationId, 300L, false), await LedgerAsync(main.WorkspaceId));

        await persister.PersistAsync([subAgent.Batch(Usage(subAgent, 9000, fromSubAgent: true))], CancellationToken.None);
        Assert.Equal((main.ConversationId, 300L, false), await LedgerAsync(main.WorkspaceId));
    }

    [Fact]
    public async Task Usage_without_a_key_counts_once_per_stored_event()
    {
        var session = await stores.NewSessionAsync();
        var batch = session.Batch(
            session.Event("message", new { model = "claude-haiku", token_usage = new { input_tokens = 1, output_tokens = 2 } }),
            session.Event("message", new { model = "claude-haiku", token_usage = new { input_tokens = 3, output_tokens = 4 } }));
        var persister = stores.CreateBatchPersister();

        await persister.PersistAsync([batch], CancellationToken.None);
        await persister.PersistAsync([batch], CancellationToken.None);

        var rows = await stores.RowsAsync("SELECT usage_key, input_tokens, output_tokens FROM token_usages WHERE workspace_id = $1 ORDER BY input_tokens", session.WorkspaceId);
        Assert.Equal([(1L, 2L), (3L, 4L)], rows.Select(row => ((long)row["input_tokens"]!, (long)row["output_tokens"]!)));
        Assert.All(rows, row => Assert.StartsWith($"event:{session.ConversationId}:", (string)row["usage_key"]!));
    }

    [Fact]
    public async Task A_tool_result_stored_before_its_call_is_joined_when_the_call_arrives()
    {
        var session = await stores.NewSessionAsync();
        var call = session.Event("tool_call", new { tool_use_id = "toolu_late", tool_name = "Bash", input = new { command = "ls" } });
        var result = session.Event("tool_result", new { tool_use_id = "toolu_late", output = "a.txt", success = "true" });
        var persister = stores.CreateBatchPersister();

        await persister.PersistAsync([session.Batch(1, 2, result)], CancellationToken.None);
        await persister.PersistAsync([session.Batch(0, 1, call)], CancellationToken.None);

        var row = await stores.RowAsync("""
            SELECT t.tool_name, t.parameters::text AS parameters, t.result, t.success, t.called_at, t.completed_at
            FROM tool_calls t JOIN conversations c ON c.id = t.conversation_id WHERE c.session_id = $1
            """, session.SessionId);
        Assert.Equal(("Bash", """{"command": "ls"}""", "a.txt", true), (row["tool_name"], row["parameters"], row["result"], row["success"]));
        Assert.Equal((call.EmittedAt.UtcDateTime, result.EmittedAt.UtcDateTime), (row["called_at"], row["completed_at"]));
        Assert.Equal(1, (await stores.RowAsync("SELECT tool_call_count FROM conversations WHERE session_id = $1", session.SessionId))["tool_call_count"]);
    }

    private static CatSyphon.Ingestion.BufferedEvent Usage(TestSession session, int outputTokens, bool fromSubAgent) => session.Event("message", new
    {
        author_role = "assistant",
        model = "claude-opus",
        usage_key = "msg_shared:req_shared",
        usage_from_sub_agent = fromSubAgent,
        token_usage = new { input_tokens = 10, output_tokens = outputTokens },
    });

    private async Task<(Guid ConversationId, long OutputTokens, bool FromSubAgent)> LedgerAsync(Guid workspaceId)
    {
        var row = await stores.RowAsync("SELECT conversation_id, output_tokens, from_sub_agent FROM token_usages WHERE workspace_id = $1", workspaceId);
        return ((Guid)row["conversation_id"]!, (long)row["output_tokens"]!, (bool)row["from_sub_agent"]!);
    }
}
