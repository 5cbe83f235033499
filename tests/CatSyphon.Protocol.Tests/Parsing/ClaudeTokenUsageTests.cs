using static CatSyphon.Protocol.Tests.Parsing.ClaudeTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>Token accounting of Claude logs, per ccusage 20.0.24 (shared/tools/expected_totals.py).</summary>
public class ClaudeTokenUsageTests
{
    private static ScanTotals Totals(string jsonl, string path = MainPath) => Ledger(Parse(jsonl, path)).GetTotals();

    [Fact]
    public void Split_streaming_lines_of_one_response_count_once_with_the_largest_copy()
    {
        var totals = Totals(Jsonl(
            Assistant("""[{"type":"thinking","thinking":"t"}]""", usage: Usage(3, 1, 100, 1000), uuid: "a1"),
            Assistant("""[{"type":"text","text":"x"}]""", usage: Usage(3, 1, 100, 1000), uuid: "a2"),
            Assistant("""[{"type":"tool_use","id":"t","name":"Bash","input":{}}]""", usage: Usage(3, 250, 100, 1000), uuid: "a3"),
            Assistant("""[{"type":"text","text":"next"}]""", id: "msg_2", req: "req_2", usage: Usage(1, 2, 0, 10), uuid: "a4")));
        Assert.Equal(new TokenCounts(4, 252, 100, 1010), totals.Totals);
        Assert.Equal(4, totals.UsageRecords);
        Assert.Equal(2, totals.DistinctResponses);
    }

    [Fact]
    public void Same_message_id_with_another_request_id_is_another_response()
    {
        var totals = Totals(Jsonl(
            Assistant("\"a\"", req: "req_1", usage: Usage(1, 1, 0, 0)),
            Assistant("\"b\"", req: "req_2", usage: Usage(1, 1, 0, 0))));
        Assert.Equal(4, totals.Totals.Total);
    }

    [Fact]
    public void Main_session_copy_beats_a_sidechain_copy()
    {
        var main = Parse(Jsonl(Assistant("\"a\"", usage: Usage(1, 1, 0, 0))));
        var sub = Parse(Jsonl(Assistant("\"a\"", usage: Usage(1, 900, 0, 0), sidechain: true)),
            $"/h/.claude/projects/-p/{Session}/subagents/agent-x.jsonl");
        var ledger = new TokenLedger();
        foreach (var u in sub.Usage.Concat(main.Usage))
        {
            ledger.Add(u);
        }

        Assert.Equal(2, ledger.GetTotals().Totals.Total);
    }

    [Fact]
    public void Cache_creation_buckets_take_precedence()
    {
        var totals = Totals(Jsonl(Assistant("\"a\"", usage:
            """{"input_tokens":1,"cache_creation_input_tokens":999,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":10,"ephemeral_1h_input_tokens":20},"output_tokens":1}""")));
        Assert.Equal(30, totals.Totals.CacheCreationTokens);
        Assert.Equal(20, totals.Totals.CacheCreation1hTokens);
    }

    [Fact]
    public void One_hour_cache_writes_and_fast_mode_go_on_the_wire_apart()
    {
        var r = Parse(Jsonl(
            Assistant("\"a\"", usage: """{"input_tokens":1,"cache_creation_input_tokens":30,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":10,"ephemeral_1h_input_tokens":20},"output_tokens":1,"speed":"fast"}"""),
            Assistant("\"b\"", id: "msg_2", usage: """{"input_tokens":1,"cache_creation_input_tokens":30,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":30,"ephemeral_1h_input_tokens":0},"output_tokens":1,"speed":"standard"}""")));

        var usages = r.Data("message").Select(message => message.GetProperty("token_usage")).ToArray();
        Assert.Equal(30, usages[0].GetProperty("cache_creation_input_tokens").GetInt64());
        Assert.Equal(20, usages[0].GetProperty("cache_creation_1h_input_tokens").GetInt64());
        Assert.Equal("fast", usages[0].GetProperty("speed").GetString());
        // All 5-minute and standard speed: nothing more on the wire than before.
        Assert.False(usages[1].TryGetProperty("cache_creation_1h_input_tokens", out _));
        Assert.False(usages[1].TryGetProperty("speed", out _));
        Assert.Equal([(20L, true), (0L, false)], r.Usage.Select(u => (u.CacheCreation1hTokens, u.Fast)));
    }

    [Fact]
    public void Cache_creation_without_a_breakdown_is_all_five_minute()
    {
        var r = Parse(Jsonl(Assistant("\"a\"", usage: Usage(1, 1, 500, 0))));

        Assert.Equal((500L, 0L), (r.Usage.Single().CacheCreationTokens, r.Usage.Single().CacheCreation1hTokens));
    }

    [Fact]
    public void Task_tool_result_usage_is_not_counted()
    {
        var taskResult = User("""[{"tool_use_id":"toolu_task","type":"tool_result","content":[{"type":"text","text":"agent report"}]}]""", "u2",
            extra: ""","toolUseResult":{"status":"completed","agentId":"a1","totalTokens":5000,"usage":{"input_tokens":100,"output_tokens":200,"cache_creation_input_tokens":300,"cache_read_input_tokens":4400}}""");
        var r = Parse(Jsonl(taskResult));
        Assert.Empty(r.Usage);
        Assert.Single(r.Data("tool_result"));
    }

    [Fact]
    public void Synthetic_model_counts_without_a_model_name()
    {
        var totals = Totals(Jsonl(Assistant("\"No response requested.\"", model: "<synthetic>", usage: Usage(0, 0, 0, 0)),
            Assistant("\"x\"", id: "msg_9", model: "<synthetic>", usage: Usage(5, 0, 0, 0))));
        Assert.Equal(5, totals.Totals.Total);
        Assert.Equal([ScanTotals.NoModel], totals.ByModel.Keys);
    }

    [Fact]
    public void Lines_ccusage_rejects_are_not_counted()
    {
        var ok = Assistant("\"ok\"", id: "msg_ok", usage: Usage(1, 0, 0, 0));
        var totals = Totals(Jsonl(
            ok,
            Assistant("\"a\"", id: "msg_a", usage: Usage(10, 0, 0, 0)).Replace("\"requestId\":\"req_1\"", "\"requestId\":null"),
            Assistant("\"b\"", id: "msg_b", usage: Usage(10, 0, 0, 0)).Replace("\"version\":\"2.1.39\"", "\"version\":\"beta\""),
            Assistant("\"c\"", id: "msg_c", usage: Usage(10, 0, 0, 0)).Replace("\"requestId\":\"req_1\"", "\"requestId\":\"\""),
            Assistant("\"d\"", id: "msg_d", usage: """{"input_tokens":"10","output_tokens":0}"""),
            Assistant("\"e\"", id: "msg_e", usage: Usage(10, 0, 0, 0)).Replace("\"timestamp\":\"2026-01-05T10:00:01.000Z\"", "\"timestamp\":\"yesterday\""),
            // ccusage pre-filters on the raw text '"usage":{' (no space).
            Assistant("\"f\"", id: "msg_f", usage: Usage(10, 0, 0, 0)).Replace("\"usage\":{", "\"usage\": {")));
        Assert.Equal(1, totals.Totals.Total);
    }

    [Fact]
    public void Escaped_ids_and_version_are_read_as_the_text_they_stand_for()
    {
        // "\u0031" is "1" and "\u002e" is ".": the second line is the same response with a valid version.
        var r = Parse(Jsonl(
            Assistant("\"a\"", usage: Usage(1, 1, 0, 0)),
            Assistant("\"b\"", id: "msg_\\u0031", req: "req_\\u0031", usage: Usage(1, 1, 0, 0))
                .Replace("\"version\":\"2.1.39\"", "\"version\":\"2\\u002e1.39\"")));
        Assert.Equal(["msg_1\nreq_1\n" + Session, "msg_1\nreq_1\n" + Session], r.Usage.Select(u => u.DedupKey));
        Assert.Equal(2, Ledger(r).GetTotals().Totals.Total);
    }

    [Fact]
    public void Lines_without_message_id_are_never_deduplicated()
    {
        var line = Assistant("\"a\"", usage: Usage(2, 0, 0, 0)).Replace("\"id\":\"msg_1\",", "");
        Assert.Equal(4, Totals(Jsonl(line, line)).Totals.Total);
    }

    [Fact]
    public void Same_response_in_two_sessions_counts_twice()
    {
        var other = "99999999-2222-3333-4444-555555555555";
        Assert.Equal(4, Totals(Jsonl(Assistant("\"a\"", usage: Usage(2, 0, 0, 0)), Assistant("\"a\"", usage: Usage(2, 0, 0, 0), session: other))).Totals.Total);
    }

    [Fact]
    public void Usage_days_are_utc()
    {
        var totals = Totals(Jsonl(
            Assistant("\"a\"", id: "m1", usage: Usage(1, 0, 0, 0), ts: "2026-01-05T23:59:59.999Z"),
            Assistant("\"b\"", id: "m2", usage: Usage(2, 0, 0, 0), ts: "2026-01-06T00:00:00.000Z"),
            Assistant("\"c\"", id: "m3", usage: Usage(4, 0, 0, 0), ts: "2026-01-05T20:00:00-05:00")));
        Assert.Equal(1, totals.ByDay["2026-01-05"].Total);
        Assert.Equal(6, totals.ByDay["2026-01-06"].Total);
    }
}
