namespace CatSyphon.IntegrationTests;

/// <summary>
/// The worker counts each API response's tokens once in <c>token_usages</c>, by the collector's token ledger rule:
/// copies share a usage key, a main-session copy beats a sub-agent copy, otherwise the strictly larger total wins;
/// usage without a key counts once per stored event; replays change nothing. <c>/api/stats/tokens</c> sums those rows.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class TokenUsageTests(RunningStackFixture stack) : WorkerContextTest(stack)
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 23, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = new(2026, 3, 2, 0, 1, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_reply_split_over_two_lines_counts_once_with_the_larger_total()
    {
        var sessionId = NewSessionId();
        var conversationId = Guid.CreateVersion7();

        // msg_1 split over three batches: a larger copy replaces the stored one, an equal one does not.
        // msg_2 split within one batch, the larger copy first.
        await PersistAsync(sessionId, conversationId, 3,
            WorkerTestContext.Usage(1, "msg_1\nreq_1", input: 10, output: 5, emittedAt: Day1),
            WorkerTestContext.Usage(2, "msg_2\nreq_2", input: 7, output: 30, cacheRead: 100, model: "claude-haiku-4-5", emittedAt: Day2),
            WorkerTestContext.Usage(3, "msg_2\nreq_2", input: 7, output: 3, cacheRead: 100, model: "claude-haiku-4-5", emittedAt: Day2));
        await PersistAsync(sessionId, conversationId, 4,
            WorkerTestContext.Usage(4, "msg_1\nreq_1", input: 10, output: 20, emittedAt: Day1.AddSeconds(1)));
        await PersistAsync(sessionId, conversationId, 5,
            WorkerTestContext.Usage(5, "msg_1\nreq_1", input: 20, output: 10, model: "claude-sonnet-4-5", emittedAt: Day1.AddSeconds(2)));

        var split = await UsageAsync("msg_1\nreq_1");
        Assert.Equal((10L, 20L), ((long)split["input_tokens"]!, (long)split["output_tokens"]!));
        Assert.Equal("claude-opus-4-6", split["model"]);
        Assert.Equal(Day1.AddSeconds(1), CompatibilityWire.Instant(split["occurred_at"]));
        Assert.Equal(conversationId, split["conversation_id"]);
        var inOneBatch = await UsageAsync("msg_2\nreq_2");
        Assert.Equal(30L, inOneBatch["output_tokens"]);

        var tokens = await CompatibilityWire.ConversationTokensAsync(App, conversationId);
        Assert.Equal(2L, tokens["responses"]);
        Assert.Equal(17L + 50 + 100, (long)tokens["input_tokens"]! + (long)tokens["output_tokens"]! + (long)tokens["cache_read_tokens"]!);

        // The API sums the same rows: by UTC day and by model, totals known from the events above.
        var byDay = await StatsAsync("day");
        Assert.Equal([("2026-03-01", 30L), ("2026-03-02", 137L)], Groups(byDay));
        Assert.Equal(167L, byDay.GetProperty("totals").GetProperty("total").GetInt64());
        Assert.Equal([("claude-haiku-4-5", 137L), ("claude-opus-4-6", 30L)], Groups(await StatsAsync("model")));
        var secondDay = await StatsAsync("day", $"&from={Uri.EscapeDataString("2026-03-02T00:00:00Z")}");
        Assert.Equal([("2026-03-02", 137L)], Groups(secondDay));
    }

    [Fact]
    public async Task A_main_session_copy_beats_a_sub_agent_copy_sent_in_either_order()
    {
        var main = NewSessionId();
        var mainId = Guid.CreateVersion7();
        var sub = main + ":agent-abc1234";
        var subId = Guid.CreateVersion7();

        // Sub-agent copy (larger) first, then the main copy; and the main copy first, then a larger sub-agent copy.
        await PersistAsync(sub, subId, 1, WorkerTestContext.Usage(1, "msg_a", input: 70, output: 3, cacheRead: 100, fromSubAgent: true));
        await PersistAsync(main, mainId, 2,
            WorkerTestContext.Usage(1, "msg_a", input: 7, output: 3, cacheRead: 100),
            WorkerTestContext.Usage(2, "msg_b", input: 1, output: 1));
        await PersistAsync(sub, subId, 3,
            WorkerTestContext.Usage(2, "msg_b", input: 500, output: 500, fromSubAgent: true),
            WorkerTestContext.Usage(3, "msg_c", input: 1, output: 2, fromSubAgent: true));

        var subAgentFirst = await UsageAsync("msg_a");
        Assert.Equal((mainId, false, 110L), ((Guid)subAgentFirst["conversation_id"]!, (bool)subAgentFirst["from_sub_agent"]!, Total(subAgentFirst)));
        var mainFirst = await UsageAsync("msg_b");
        Assert.Equal((mainId, false, 2L), ((Guid)mainFirst["conversation_id"]!, (bool)mainFirst["from_sub_agent"]!, Total(mainFirst)));
        var subAgentOnly = await UsageAsync("msg_c");
        Assert.Equal((subId, true, 3L), ((Guid)subAgentOnly["conversation_id"]!, (bool)subAgentOnly["from_sub_agent"]!, Total(subAgentOnly)));

        Assert.Equal(2L, (await CompatibilityWire.ConversationTokensAsync(App, mainId))["responses"]);
        Assert.Equal(1L, (await CompatibilityWire.ConversationTokensAsync(App, subId))["responses"]);
        Assert.Equal(115L, (await StatsAsync("model")).GetProperty("totals").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Replaying_stored_events_changes_no_token_usage()
    {
        var sessionId = NewSessionId();
        var conversationId = Guid.CreateVersion7();
        var first = Ctx.Batch(sessionId, conversationId,
            WorkerTestContext.Usage(1, "msg_1", input: 10, output: 5),
            WorkerTestContext.Usage(2, null, input: 3, output: 4));
        var second = Ctx.Batch(sessionId, conversationId, WorkerTestContext.Usage(3, "msg_1", input: 10, output: 20));
        var stream = WorkerTestContext.ShardOf(first);
        await Ctx.WaitUntilDeletedAsync(stream, await Ctx.AddAsync(first));
        await Ctx.WaitUntilDeletedAsync(stream, await Ctx.AddAsync(second));
        var before = await UsagesAsync();

        // Every entry again (a worker killed after COMMIT, before XACK): no row is written, not even with the same values.
        var replays = new List<StackExchange.Redis.RedisValue>();
        foreach (var batch in new[] { first, second, first })
        {
            replays.Add(await Ctx.AddRawAsync(stream, BufferedBatchSerializer.Serialize(batch)));
        }

        await Ctx.WaitUntilDeletedAsync(stream, [.. replays]);

        var after = await UsagesAsync();
        Assert.Equal(2, after.Count);
        Assert.Equal(before, after);
        Assert.Equal(30L + 7, after.Sum(Total));
        Assert.Equal(37L, (await StatsAsync("day")).GetProperty("totals").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Usage_without_a_usage_key_counts_once_per_stored_event()
    {
        // Other collectors (the Python watcher, the SDK) send usage on their message events without a key: identical
        // usage on two events is two responses, and the same event stored twice is still one.
        var sessionId = NewSessionId();
        var conversationId = Guid.CreateVersion7();
        var usage = new { input_tokens = 100, output_tokens = 20, cache_read_input_tokens = 5 };
        var answer = WorkerTestContext.Message(2, "assistant", "Done.", usage, "claude-opus-4-6");
        await PersistAsync(sessionId, conversationId, 3,
            WorkerTestContext.Message(1, "assistant", "Looking.", usage, "claude-opus-4-6"),
            answer,
            WorkerTestContext.Message(3, "human", "Thanks"));
        await PersistAsync(sessionId, conversationId, 4, answer, WorkerTestContext.Usage(4, "", input: 1, output: 1, model: "<synthetic>"));

        var rows = await UsagesAsync();
        var hashes = await Ctx.RowsAsync("SELECT event_hash FROM messages WHERE conversation_id = $1 AND sequence <> 3 ORDER BY event_hash", conversationId);
        Assert.Equal(hashes.Select(h => $"event:{conversationId}:{h["event_hash"]}").Order(StringComparer.Ordinal),
            rows.Select(r => (string)r["usage_key"]!).Order(StringComparer.Ordinal));
        Assert.Equal(250L + 2, rows.Sum(Total));
        Assert.Equal([("claude-opus-4-6", 250L), (null, 2L)], Groups(await StatsAsync("model")));
    }

    [Fact]
    public async Task One_hour_writes_and_fast_mode_are_kept_and_priced_and_usage_without_them_is_five_minute_and_standard()
    {
        var sessionId = NewSessionId();
        await PersistAsync(sessionId, Guid.CreateVersion7(), 4,
            // Ours; Anthropic's usage forwarded as it is; another collector's, without a breakdown; a 1-hour part above all writes.
            RawUsage(1, "ours", new { input_tokens = 1, output_tokens = 1, cache_creation_input_tokens = 300, cache_creation_1h_input_tokens = 200, speed = "fast" }),
            RawUsage(2, "forwarded", new
            {
                input_tokens = 1, output_tokens = 1, cache_creation_input_tokens = 300, speed = "standard", service_tier = "standard",
                cache_creation = new { ephemeral_5m_input_tokens = 250, ephemeral_1h_input_tokens = 50 },
            }),
            RawUsage(3, "plain", new { input_tokens = 1, output_tokens = 1, cache_creation_input_tokens = 300 }),
            RawUsage(4, "too-much", new { input_tokens = 1, output_tokens = 1, cache_creation_input_tokens = 300, cache_creation_1h_input_tokens = 900 }));

        var rows = (await UsagesAsync()).ToDictionary(row => (string)row["usage_key"]!, row => ((long)row["cache_creation_1h_tokens"]!, (bool)row["fast"]!));
        Assert.Equal((200L, true), rows["ours"]);
        Assert.Equal((50L, false), rows["forwarded"]);
        Assert.Equal((0L, false), rows["plain"]);
        Assert.Equal((300L, false), rows["too-much"]);
        // Opus 4.6 (USD per million: input 5, output 25, 5-minute writes 6.25, 1-hour writes 10, fast mode 6 times):
        // 6 x (5 + 25 + 100 x 6.25 + 200 x 10), 30 + 250 x 6.25 + 50 x 10, 30 + 300 x 6.25, 30 + 300 x 10.
        var totals = (await StatsAsync("model")).GetProperty("totals");
        Assert.Equal((15_930m + 2_092.5m + 1_905m + 3_030m) / 1_000_000, totals.GetProperty("cost").GetDecimal());
        Assert.Equal(4 * 302L, totals.GetProperty("total").GetInt64());
    }

    private static BufferedEvent RawUsage(long sequence, string usageKey, object tokenUsage) =>
        WorkerTestContext.Event("metadata", sequence, new Dictionary<string, object?>
        {
            ["kind"] = "usage",
            ["token_usage"] = tokenUsage,
            ["usage_key"] = usageKey,
            ["usage_model"] = "claude-opus-4-6",
        });

    private static string NewSessionId() => $"tokens-{Guid.NewGuid():N}";

    private static long Total(Dictionary<string, object?> usage) =>
        (long)usage["input_tokens"]! + (long)usage["output_tokens"]! + (long)usage["cache_creation_tokens"]! + (long)usage["cache_read_tokens"]!;

    private static List<(string?, long)> Groups(JsonElement stats) =>
        [.. stats.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("key").GetString(), g.GetProperty("total").GetInt64()))];

    /// <summary>Appends one batch of the session and waits until the session has persisted up to <paramref name="sequence"/>.</summary>
    private async Task PersistAsync(string sessionId, Guid conversationId, long sequence, params BufferedEvent[] events)
    {
        await Ctx.AddAsync(Ctx.Batch(sessionId, conversationId, events));
        await Ctx.PersistedAsync(sessionId, sequence);
    }

    private async Task<Dictionary<string, object?>> UsageAsync(string usageKey) =>
        await Ctx.RowAsync("SELECT * FROM token_usages WHERE workspace_id = $1 AND usage_key = $2", Ctx.WorkspaceId, usageKey)
        ?? throw new Xunit.Sdk.XunitException($"No token usage {usageKey}.");

    /// <summary>The workspace's rows with their row version (<c>xmin</c>), which any write changes.</summary>
    private Task<List<Dictionary<string, object?>>> UsagesAsync() =>
        Ctx.RowsAsync("SELECT *, xmin::text AS row_version FROM token_usages WHERE workspace_id = $1 ORDER BY usage_key", Ctx.WorkspaceId);

    private async Task<JsonElement> StatsAsync(string groupBy, string extra = "")
    {
        using var admin = App.CreateAdminClient();
        return await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/stats/tokens?workspace_id={Ctx.WorkspaceId}&group_by={groupBy}{extra}"));
    }
}
