namespace CatSyphon.Protocol.Tests.Parsing;

public class TokenLedgerTests
{
    private static TokenUsageRecord R(string key, long input, long output = 0, bool sub = false, string? model = "m", string ts = "2026-01-01T12:00:00Z") =>
        new(key, "s", model, DateTimeOffset.Parse(ts), input, output, 0, 0, sub);

    [Fact]
    public void Same_key_counts_once_and_the_larger_total_wins()
    {
        var ledger = new TokenLedger();
        ledger.Add(R("k", 1, 1));
        ledger.Add(R("k", 1, 50));
        ledger.Add(R("k", 1, 20));
        var totals = ledger.GetTotals();
        Assert.Equal(new TokenCounts(1, 50, 0, 0), totals.Totals);
        Assert.Equal(3, totals.UsageRecords);
        Assert.Equal(1, totals.DistinctResponses);
    }

    [Fact]
    public void Main_copy_beats_sub_agent_copy_whatever_the_order()
    {
        var a = new TokenLedger();
        a.Add(R("k", 100, sub: true));
        a.Add(R("k", 5));
        var b = new TokenLedger();
        b.Add(R("k", 5));
        b.Add(R("k", 100, sub: true));
        Assert.Equal(5, a.GetTotals().Totals.Total);
        Assert.Equal(5, b.GetTotals().Totals.Total);
    }

    [Fact]
    public void On_a_tie_the_copy_read_first_wins_whatever_order_it_arrives_in()
    {
        // Equal totals, different days and models: which copy counts decides the breakdown.
        var first = R("k", 7, model: "first", ts: "2026-01-01T12:00:00Z");
        var second = R("k", 7, model: "second", ts: "2026-01-02T12:00:00Z");
        var inOrder = new TokenLedger();
        inOrder.Add(first, position: 1);
        inOrder.Add(second, position: 2);
        var reversed = new TokenLedger();
        reversed.Add(second, position: 2);
        reversed.Add(first, position: 1);

        foreach (var totals in new[] { inOrder.GetTotals(), reversed.GetTotals() })
        {
            Assert.Equal(["first"], totals.ByModel.Keys);
            Assert.Equal(["2026-01-01"], totals.ByDay.Keys);
        }
    }

    [Fact]
    public void Parallel_scan_of_a_tree_equals_reading_its_files_one_by_one()
    {
        var root = Directory.CreateTempSubdirectory("catsyphon-scan-");
        try
        {
            // Every file holds a copy of the same responses with equal totals but its own model, so any
            // order other than path order would change the by-model breakdown.
            for (var file = 0; file < 24; file++)
            {
                var project = Directory.CreateDirectory(Path.Combine(root.FullName, "projects", $"p{file % 3}"));
                var lines = Enumerable.Range(0, 20).Select(i => ClaudeTestSupport.Assistant(
                    """[{"type":"text","text":"hi"}]""", id: $"msg_{i}", req: $"req_{i}", uuid: $"a{file}-{i}", model: $"model-{file:D2}"));
                File.WriteAllText(Path.Combine(project.FullName, $"{Guid.NewGuid()}.jsonl"), ClaudeTestSupport.Jsonl([.. lines]));
            }

            var sequential = new TokenLedger();
            var parser = new CatSyphon.Protocol.Parsing.Claude.ClaudeCodeLogParser();
            foreach (var file in Directory.EnumerateFiles(root.FullName, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                using var stream = File.OpenRead(file);
                parser.Parse(stream, new ParseRequest(file), new LedgerSink(sequential));
            }

            var scanned = new LogTreeScanner(new AgentFormatRegistry([new CatSyphon.Protocol.Parsing.Claude.ClaudeCodeFormat()])).Scan(root.FullName).Tokens;
            var expected = sequential.GetTotals();
            Assert.Equal(expected.ByModel.Keys, scanned.ByModel.Keys);
            Assert.Equal(expected.Totals, scanned.Totals);
            Assert.Equal(20, scanned.DistinctResponses);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private sealed class LedgerSink(TokenLedger ledger) : IParsedLogSink
    {
        public void OnEvent(ParsedSessionRef session, ParsedEvent parsedEvent)
        {
        }

        public void OnUsage(TokenUsageRecord usage) => ledger.Add(usage);
    }

    [Fact]
    public void Ledgers_joined_in_any_order_equal_one_ledger_fed_in_reading_order()
    {
        // Copies of the same responses with ties, sub-agent copies, other days and models, and unkeyed records,
        // spread over three ledgers as parallel workers would take them.
        var random = new Random(5);
        var records = Enumerable.Range(0, 300).Select(i => R(
            i % 7 == 0 ? "" : $"k{random.Next(40)}", random.Next(4), random.Next(3), sub: random.Next(3) == 0,
            model: random.Next(5) == 0 ? null : $"model-{i % 4}", ts: $"2026-01-0{1 + random.Next(3)}T12:00:00Z")).ToList();
        var sequential = new TokenLedger();
        var parts = new[] { new TokenLedger(), new TokenLedger(), new TokenLedger() };
        for (var position = 0; position < records.Count; position++)
        {
            sequential.Add(records[position], position);
            parts[random.Next(parts.Length)].Add(records[position], position);
        }

        var expected = sequential.GetTotals();
        foreach (var order in new[] { new[] { 0, 1, 2 }, [2, 0, 1], [1, 2, 0] })
        {
            var joined = new TokenLedger();
            foreach (var part in order)
            {
                joined.AddFrom(parts[part]);
            }

            var totals = joined.GetTotals();
            Assert.Equal(expected.Totals, totals.Totals);
            Assert.Equal(expected.ByDay, totals.ByDay);
            Assert.Equal(expected.ByModel, totals.ByModel);
            Assert.Equal((expected.UsageRecords, expected.DistinctResponses), (totals.UsageRecords, totals.DistinctResponses));
        }
    }

    [Fact]
    public void Empty_keys_are_never_deduplicated()
    {
        var ledger = new TokenLedger();
        ledger.Add(R("", 3));
        ledger.Add(R("", 3));
        Assert.Equal(6, ledger.GetTotals().Totals.Total);
        Assert.Equal(2, ledger.GetTotals().DistinctResponses);
    }

    [Fact]
    public void Days_are_utc_and_models_are_grouped()
    {
        var ledger = new TokenLedger();
        ledger.Add(R("a", 1, ts: "2026-01-01T23:30:00-02:00")); // 2026-01-02T01:30Z
        ledger.Add(R("b", 2, ts: "2026-01-02T00:30:00+02:00")); // 2026-01-01T22:30Z
        ledger.Add(R("c", 4, model: null, ts: "2026-01-01T23:59:59.999Z"));
        ledger.Add(R("d", 8, model: "x", ts: "2026-01-02T00:00:00Z"));
        var totals = ledger.GetTotals();
        Assert.Equal(["2026-01-01", "2026-01-02"], totals.ByDay.Keys);
        Assert.Equal(6, totals.ByDay["2026-01-01"].Total);
        Assert.Equal(9, totals.ByDay["2026-01-02"].Total);
        Assert.Equal([ScanTotals.NoModel, "m", "x"], totals.ByModel.Keys);
        Assert.Equal(4, totals.ByModel[ScanTotals.NoModel].Total);
        Assert.Equal(15, totals.Totals.Total);
    }
}
