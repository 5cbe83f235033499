using CatSyphon.Ingestion;

namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>
/// The daily rollups the analytics read (<c>token_usage_days</c>, <c>tool_call_days</c>) always equal the sums of the raw
/// rows they stand for, however the rows arrived: several days and models, a set persisted twice, a better copy of a
/// response replacing one of another conversation, tool results before and after their calls.
/// </summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class AnalyticsRollupTests(WorkerStores stores) : PersistingTest(stores)
{
    [Fact]
    public async Task Token_rollups_equal_the_ledger_over_days_models_replays_and_replaced_copies()
    {
        var (main, subAgent) = (Session, new TestSession(Session.WorkspaceId, Session.CollectorId));
        var subAgentSet = subAgent.Batch(
            Usage(subAgent, day: 0, "claude-opus-4-1", output: 900, key: "msg_1:req_1", fromSubAgent: true),
            Usage(subAgent, day: 1, "claude-haiku-4-5", output: 7, key: "msg_9:req_9", fromSubAgent: true));
        var mainSet = main.Batch(
            Usage(main, day: 0, "claude-opus-4-1", output: 100, key: "msg_1:req_1"),
            Usage(main, day: 0, "claude-opus-4-1", output: 50, key: "msg_2:req_2"),
            Usage(main, day: 1, "claude-sonnet-4-5", output: 70, key: "msg_3:req_3", fast: true),
            Usage(main, day: 1, "claude-sonnet-4-5", output: 80, key: "msg_4:req_4"),
            Usage(main, day: 2, model: null, output: 5, key: null));

        await PersistAsync(subAgentSet);
        await AssertTokenRollupsEqualLedgerAsync();

        // The main session's copy of msg_1 replaces the sub-agent's: it leaves that conversation's rollup for this one's.
        await PersistAsync(mainSet);
        await AssertTokenRollupsEqualLedgerAsync();

        await PersistAsync(mainSet);
        await PersistAsync(subAgentSet);
        await PersistAsync(main.Batch(Usage(main, day: 2, "claude-opus-4-1", output: 300, key: "msg_2:req_2")));
        await AssertTokenRollupsEqualLedgerAsync();
        Assert.Equal(6, await Stores.CountAsync("SELECT sum(responses) FROM token_usage_days WHERE workspace_id = $1", main.WorkspaceId));
    }

    [Fact]
    public async Task Tool_rollups_equal_the_tool_calls_when_results_come_before_after_and_never()
    {
        var calls = new[]
        {
            Call("toolu_ok", "Bash", day: 0), Call("toolu_error", "Edit", day: 0), Call("toolu_open", "Bash", day: 1),
            Call("toolu_late", "Read", day: 2),
        };
        var earlyResult = Result("toolu_early", success: true, day: 3);
        await PersistAsync(Session.Batch(0, 5, [.. calls, Result("toolu_ok", success: true, day: 0)]));
        await PersistAsync(Session.Batch(5, 6, earlyResult));
        await AssertToolRollupsEqualToolCallsAsync();

        // Results after their calls, a call after its result, and everything again.
        var late = Session.Batch(6, 9, Result("toolu_error", success: false, day: 1), Result("toolu_late", success: true, day: 2),
            Call("toolu_early", "Grep", day: 3));
        await PersistAsync(late);
        await PersistAsync(late);
        await PersistAsync(Session.Batch(5, 6, earlyResult));
        await AssertToolRollupsEqualToolCallsAsync();
        Assert.Equal(5, await Stores.CountAsync("SELECT sum(calls) FROM tool_call_days WHERE workspace_id = $1", Session.WorkspaceId));
    }

    private static BufferedEvent Usage(
        TestSession session, int day, string? model, int output, string? key, bool fromSubAgent = false, bool fast = false) => At(day, session.Event("message", new
        {
            author_role = "assistant",
            model,
            usage_key = key,
            usage_from_sub_agent = fromSubAgent,
            token_usage = new
            {
                input_tokens = 10, output_tokens = output, cache_creation_input_tokens = 300, cache_read_input_tokens = 4000,
                speed = fast ? "fast" : "standard",
            },
        }));

    private BufferedEvent Call(string id, string tool, int day) =>
        At(day, Session.Event("tool_call", new { tool_use_id = id, tool_name = tool, input = new { path = "a.txt" } }));

    private BufferedEvent Result(string id, bool success, int day) =>
        At(day, Session.Event("tool_result", new { tool_use_id = id, output = "done", success = success ? "true" : "false" }));

    /// <summary>An event on day <paramref name="day"/> after the test start, a few hours in, so sessions span UTC days.</summary>
    private static BufferedEvent At(int day, BufferedEvent e) => e with { EmittedAt = e.EmittedAt.AddDays(day).AddHours(e.Sequence) };

    private async Task AssertTokenRollupsEqualLedgerAsync()
    {
        var ledger = await LinesAsync("""
            SELECT concat_ws('|', conversation_id, (occurred_at AT TIME ZONE 'UTC')::date, coalesce(model, '-'), fast, count(*),
                             sum(input_tokens), sum(output_tokens), sum(cache_creation_tokens), sum(cache_creation_1h_tokens), sum(cache_read_tokens))
            FROM token_usages WHERE workspace_id = $1
            GROUP BY conversation_id, (occurred_at AT TIME ZONE 'UTC')::date, model, fast
            """);
        var rollup = await LinesAsync("""
            SELECT concat_ws('|', conversation_id, day, coalesce(model, '-'), fast, responses,
                             input_tokens, output_tokens, cache_creation_tokens, cache_creation_1h_tokens, cache_read_tokens)
            FROM token_usage_days WHERE workspace_id = $1 AND responses <> 0
            """);
        Assert.NotEmpty(ledger);
        Assert.Equal(ledger, rollup);
        Assert.Equal(0, await Stores.CountAsync("""
            SELECT count(*) FROM token_usage_days
            WHERE workspace_id = $1 AND responses = 0 AND input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens <> 0
            """, Session.WorkspaceId));
        // The largest response of a rollup row is an upper bound of its responses: the reports read a tier's raw rows by it.
        Assert.Equal(0, await Stores.CountAsync("""
            SELECT count(*) FROM token_usages t
            JOIN token_usage_days d ON d.conversation_id = t.conversation_id AND d.day = (t.occurred_at AT TIME ZONE 'UTC')::date
                AND d.model IS NOT DISTINCT FROM t.model AND d.fast = t.fast
            WHERE t.workspace_id = $1 AND (t.input_tokens + t.cache_creation_tokens + t.cache_read_tokens > d.largest_request
                OR greatest(t.input_tokens, t.output_tokens, t.cache_creation_tokens - t.cache_creation_1h_tokens, t.cache_creation_1h_tokens,
                            t.cache_read_tokens) > d.largest_kind)
            """, Session.WorkspaceId));
    }

    private async Task AssertToolRollupsEqualToolCallsAsync()
    {
        var raw = await LinesAsync("""
            SELECT concat_ws('|', t.conversation_id, coalesce((t.called_at AT TIME ZONE 'UTC')::date::text, '-'), coalesce(t.tool_name, 'unknown'),
                             count(*), count(*) FILTER (WHERE t.success = false), count(*) FILTER (WHERE t.success IS NULL),
                             trim_scale(coalesce(sum(extract(epoch FROM t.completed_at - t.called_at) * 1000) FILTER (WHERE t.completed_at >= t.called_at), 0)),
                             count(*) FILTER (WHERE t.completed_at >= t.called_at))
            FROM tool_calls t JOIN conversations c ON c.id = t.conversation_id WHERE c.workspace_id = $1
            GROUP BY t.conversation_id, (t.called_at AT TIME ZONE 'UTC')::date, coalesce(t.tool_name, 'unknown')
            """);
        var rollup = await LinesAsync("""
            SELECT concat_ws('|', conversation_id, coalesce(day::text, '-'), tool_name, calls, errors, unanswered, trim_scale(duration_ms), durations)
            FROM tool_call_days WHERE workspace_id = $1 AND calls <> 0
            """);
        Assert.NotEmpty(raw);
        Assert.Equal(raw, rollup);
        Assert.Equal(0, await Stores.CountAsync(
            "SELECT count(*) FROM tool_call_days WHERE workspace_id = $1 AND calls = 0 AND (errors <> 0 OR unanswered <> 0 OR duration_ms <> 0 OR durations <> 0)",
            Session.WorkspaceId));
    }

    private async Task<List<string>> LinesAsync(string sql) =>
        (await Stores.RowsAsync(sql, Session.WorkspaceId)).Select(row => (string)row.Values.Single()!).Order(StringComparer.Ordinal).ToList();
}
