using CatSyphon.Protocol.Parsing;
using CatSyphon.Protocol.Parsing.Codex;
using static CatSyphon.Protocol.Tests.Parsing.CodexTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

public sealed class CodexTokenUsageTests
{
    [Fact]
    public void Token_count_maps_cached_into_cache_read_and_reasoning_into_output()
    {
        var text = Meta()
            + TurnContext("2025-10-05T10:00:01Z", "gpt-5-codex")
            + TokenCount("2025-10-05T10:00:09.5Z", Usage(1000, 400, 50, 20), Usage(1000, 400, 50, 20));
        var (_, sink) = Parse(text);
        var u = Assert.Single(sink.Usage);
        Assert.Equal(600, u.InputTokens);
        Assert.Equal(400, u.CacheReadTokens);
        Assert.Equal(0, u.CacheCreationTokens);
        Assert.Equal(50, u.OutputTokens);
        Assert.Equal(1050, u.Total);
        Assert.Equal(SessionId, u.SessionId);
        Assert.Equal("gpt-5-codex", u.Model);
        Assert.False(u.FromSubAgent);
        Assert.Equal(DateTimeOffset.Parse("2025-10-05T10:00:09.5Z"), u.Timestamp);
        Assert.StartsWith("codex:" + SessionId + ":", u.DedupKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_token_count_is_harmless_within_and_across_reads()
    {
        var turn1 = TokenCount("2025-10-05T10:00:09Z", Usage(1000, 400, 50, 20), Usage(1000, 400, 50, 20));
        var repeat1 = TokenCount("2025-10-05T10:00:09.2Z", Usage(1000, 400, 50, 20), Usage(1000, 400, 50, 20));
        var turn2 = TokenCount("2025-10-05T10:01:00Z", Usage(3000, 1400, 80, 20), Usage(2000, 1000, 30, 0));
        var text = Meta() + turn1 + repeat1 + turn2 + turn2;
        var (_, sink) = Parse(text);
        Assert.Equal(2, sink.Usage.Count);
        Assert.Equal(1050 + 2030, sink.Usage.Sum(u => u.Total));

        // Read in two calls split right after the first token_count: the repeat carries the same key.
        var split = System.Text.Encoding.UTF8.GetByteCount(Meta() + turn1);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var (first, a) = Parse(bytes[..split]);
        var (_, b) = Parse(bytes, first.EndOffset);
        var all = new CodexRecordingSink();
        all.Usage.AddRange(a.Usage);
        all.Usage.AddRange(b.Usage);
        Assert.Equal(3, all.Usage.Count);
        Assert.Equal(1050 + 2030, all.DedupedUsage().Sum(u => u.Total));
        Assert.Equal(sink.Usage.Select(u => u.DedupKey).Order(), all.DedupedUsage().Select(u => u.DedupKey).Order());
    }

    [Fact]
    public void Model_follows_the_turn_context()
    {
        var text = Meta()
            + TokenCount("2025-10-05T10:00:01Z", Usage(10, 0, 1, 0), Usage(10, 0, 1, 0))
            + TurnContext("2025-10-05T10:00:02Z", "gpt-5")
            + TokenCount("2025-10-05T10:00:03Z", Usage(30, 0, 3, 0), Usage(20, 0, 2, 0))
            + TurnContext("2025-10-05T10:00:04Z", "gpt-5.1-codex-max")
            + TokenCount("2025-10-05T10:00:05Z", Usage(60, 0, 6, 0), Usage(30, 0, 3, 0));
        var (_, sink) = Parse(text);
        Assert.Equal([null, "gpt-5", "gpt-5.1-codex-max"], sink.Usage.Select(u => u.Model));
        Assert.Equal([10L, 20L, 30L], sink.Usage.Select(u => u.InputTokens));
    }

    [Fact]
    public void Odd_token_count_fields_do_not_break_the_line()
    {
        var text = Meta() + """{"timestamp":"2025-10-05T10:00:01Z","type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":{"input_tokens":"9","output_tokens":5,"total_tokens":"x","cached_input_tokens":-3}}}}""" + "\n";
        var (summary, sink) = Parse(text);
        Assert.Equal(0, summary.MalformedLines);
        var u = Assert.Single(sink.Usage);
        Assert.Equal((0L, 0L, 5L), (u.InputTokens, u.CacheReadTokens, u.OutputTokens));
    }

    [Fact]
    public void Cumulative_only_token_counts_use_the_growth()
    {
        var text = Meta()
            + TokenCount("2025-10-05T10:00:01Z", Usage(100, 40, 10, 5), last: null)
            + TokenCount("2025-10-05T10:00:02Z", Usage(100, 40, 10, 5), last: null)
            + TokenCount("2025-10-05T10:00:03Z", Usage(250, 140, 30, 5), last: null);
        var (_, sink) = Parse(text);
        Assert.Equal(2, sink.Usage.Count);
        Assert.Equal((60, 40, 10), (sink.Usage[0].InputTokens, sink.Usage[0].CacheReadTokens, sink.Usage[0].OutputTokens));
        Assert.Equal((50, 100, 20), (sink.Usage[1].InputTokens, sink.Usage[1].CacheReadTokens, sink.Usage[1].OutputTokens));
    }

    [Fact]
    public void Cumulative_only_token_count_without_an_earlier_total_in_a_later_read_is_skipped_with_a_warning()
    {
        var head = Meta();
        var text = head + TokenCount("2025-10-05T10:00:03Z", Usage(250, 140, 30, 5), last: null);
        var (summary, sink) = Parse(text, System.Text.Encoding.UTF8.GetByteCount(head));
        Assert.Empty(sink.Usage);
        Assert.Single(summary.Warnings);
    }

    [Fact]
    public void Last_only_token_counts_are_keyed_by_line_and_zero_usage_is_dropped()
    {
        var text = Meta()
            + TokenCount("2025-10-05T10:00:01Z", total: null, Usage(100, 40, 10, 5))
            + TokenCount("2025-10-05T10:00:02Z", total: null, Usage(0, 0, 0, 0))
            + TokenCount("2025-10-05T10:00:03Z", total: null, Usage(100, 40, 10, 5));
        var (_, sink) = Parse(text);
        Assert.Equal(2, sink.Usage.Count);
        Assert.NotEqual(sink.Usage[0].DedupKey, sink.Usage[1].DedupKey);
        var (_, again) = Parse(text);
        Assert.Equal(sink.Usage, again.Usage);
    }

    public static TheoryData<string, long, long, long, long> OracleFixtures => new()
    {
        // file, input incl. cached, cached, output incl. reasoning, total (gen_codex_logs' codex_expected.json / ccusage codex rules)
        { "rollout-2025-10-21T01-04-00-6513270e-269e-4d37-b2a7-4de452e6b438.jsonl", 173_293, 68_394, 12_753, 186_046 },
        { "rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl", 34_469, 3_456, 431, 34_900 },
        { "rollout-2026-06-05T04-58-20-019e9625-802f-7e91-840a-cfe88d14117a.jsonl", 22_539, 20_864, 10, 22_549 },
    };

    [Theory]
    [MemberData(nameof(OracleFixtures))]
    public void Fixture_totals_equal_the_oracle(string file, long input, long cached, long output, long total)
    {
        var bytes = File.ReadAllBytes(FixturePath(file));
        var path = "/home/dev/.codex/sessions/2026/01/01/" + file;
        Assert.True(new CodexLogParser().CanParse(path));
        var (summary, sink) = Parse(bytes, 0, path);
        Assert.Equal(bytes.Length, summary.EndOffset);
        Assert.Equal(0, summary.MalformedLines);

        foreach (var usage in new[] { sink.Usage, (IEnumerable<TokenUsageRecord>)sink.DedupedUsage() })
        {
            Assert.Equal(input, usage.Sum(u => u.InputTokens + u.CacheReadTokens));
            Assert.Equal(cached, usage.Sum(u => u.CacheReadTokens));
            Assert.Equal(output, usage.Sum(u => u.OutputTokens));
            Assert.Equal(total, usage.Sum(u => u.Total));
        }

        var sessionId = CodexLogParser.SessionIdFromPath(path);
        Assert.All(sink.Usage, u => Assert.Equal(sessionId, u.SessionId));
        Assert.All(sink.Events, e => Assert.Equal(sessionId, e.Session.SessionId));
        Assert.All(sink.Usage, u => Assert.False(string.IsNullOrEmpty(u.Model)));
    }

    [Fact]
    public void Generated_fixture_events_match_its_expected_counts()
    {
        var file = "rollout-2025-10-21T01-04-00-6513270e-269e-4d37-b2a7-4de452e6b438.jsonl";
        var (_, sink) = Parse(File.ReadAllBytes(FixturePath(file)), 0, "/x/sessions/2025/10/21/" + file);
        Assert.Single(sink.OfType("session_start"));
        Assert.Equal(5, sink.OfType("message").Count(m => Str(m, "author_role") == "human"));
        Assert.Equal(5, sink.OfType("message").Count(m => Str(m, "author_role") == "assistant"));
        Assert.Equal(10, sink.OfType("thinking").Count());
        var calls = sink.OfType("tool_call").GroupBy(c => Str(c, "tool_name")!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["shell"] = 6, ["apply_patch"] = 2, ["update_plan"] = 2 }, calls);
        var results = sink.OfType("tool_result").ToList();
        Assert.Equal(10, results.Count);
        Assert.All(results, r => Assert.NotNull(Str(r, "tool_name")));
        Assert.All(results, r => Assert.True(Data(r).TryGetProperty("success", out _)));
    }

    [Fact]
    public void Interrupted_real_fixture_keeps_the_unanswered_call()
    {
        var file = "rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl";
        var (_, sink) = Parse(File.ReadAllBytes(FixturePath(file)), 0, "/x/sessions/2026/02/23/" + file);
        var start = Assert.Single(sink.OfType("session_start"));
        Assert.Equal("0.104.0-alpha.1", Str(start, "agent_version"));
        Assert.Single(sink.OfType("tool_call"));
        Assert.Empty(sink.OfType("tool_result"));
        Assert.Single(sink.OfType("message"), m => Str(m, "author_role") == "human");
        Assert.Single(sink.OfType("message"), m => Str(m, "author_role") == "assistant");
        Assert.All(sink.Usage, u => Assert.Equal("gpt-5.3-codex", u.Model));
    }
}
