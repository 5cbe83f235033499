namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>The token ledger counts each API response once; a tool call and its result meet in one row whichever comes first.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class TokenUsageAndToolCallTests(WorkerStores stores) : PersistingTest(stores)
{
    [Fact]
    public async Task A_main_session_copy_of_a_response_replaces_a_sub_agent_copy_and_a_larger_copy_a_smaller_one()
    {
        var main = Session;
        var subAgent = new TestSession(main.WorkspaceId, main.CollectorId);

        await PersistAsync(subAgent.Batch(Usage(subAgent, 500, fromSubAgent: true)));
        Assert.Equal((subAgent.ConversationId, 500L, true), await LedgerAsync(main.WorkspaceId));

        await PersistAsync(main.Batch(Usage(main, 100, fromSubAgent: false)));
        Assert.Equal((main.ConversationId, 100L, false), await LedgerAsync(main.WorkspaceId));

        // Within one set the best copy wins too: the larger of the main session's.
        await PersistAsync(main.Batch(Usage(main, 90, fromSubAgent: false), Usage(main, 300, fromSubAgent: false)));
        Assert.Equal((main.ConversationId, 300L, false), await LedgerAsync(main.WorkspaceId));

        await PersistAsync(subAgent.Batch(Usage(subAgent, 9000, fromSubAgent: true)));
        Assert.Equal((main.ConversationId, 300L, false), await LedgerAsync(main.WorkspaceId));
    }

    [Fact]
    public async Task Usage_without_a_key_counts_once_per_stored_event()
    {
        var batch = Session.Batch(
            Session.Event("message", new { model = "claude-haiku", token_usage = new { input_tokens = 1, output_tokens = 2 } }),
            Session.Event("message", new { model = "claude-haiku", token_usage = new { input_tokens = 3, output_tokens = 4 } }));

        await PersistAsync(batch);
        await PersistAsync(batch);

        var rows = await Stores.RowsAsync("SELECT usage_key, input_tokens, output_tokens FROM token_usages WHERE workspace_id = $1 ORDER BY input_tokens", Session.WorkspaceId);
        Assert.Equal([(1L, 2L), (3L, 4L)], rows.Select(row => ((long)row["input_tokens"]!, (long)row["output_tokens"]!)));
        Assert.All(rows, row => Assert.StartsWith($"event:{Session.ConversationId}:", (string)row["usage_key"]!));
    }

    [Fact]
    public async Task A_tool_result_stored_before_its_call_is_joined_when_the_call_arrives()
    {
        var call = Session.Event("tool_call", new { tool_use_id = "toolu_late", tool_name = "Bash", input = new { command = "ls" } });
        var result = Session.Event("tool_result", new { tool_use_id = "toolu_late", output = "a.txt", success = "true" });

        await PersistAsync(Session.Batch(1, 2, result));
        await PersistAsync(Session.Batch(0, 1, call));

        var row = await Stores.RowAsync("""
            SELECT t.tool_name, t.parameters::text AS parameters, t.result, t.success, t.called_at, t.completed_at
            FROM tool_calls t JOIN conversations c ON c.id = t.conversation_id WHERE c.session_id = $1
            """, Session.SessionId);
        Assert.Equal(("Bash", """{"command": "ls"}""", "a.txt", true), (row["tool_name"], row["parameters"], row["result"], row["success"]));
        Assert.Equal((call.EmittedAt.UtcDateTime, result.EmittedAt.UtcDateTime), (row["called_at"], row["completed_at"]));
        Assert.Equal(1, (await Stores.RowAsync("SELECT tool_call_count FROM conversations WHERE session_id = $1", Session.SessionId))["tool_call_count"]);
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
        var row = await Stores.RowAsync("SELECT conversation_id, output_tokens, from_sub_agent FROM token_usages WHERE workspace_id = $1", workspaceId);
        return ((Guid)row["conversation_id"]!, (long)row["output_tokens"]!, (bool)row["from_sub_agent"]!);
    }
}
