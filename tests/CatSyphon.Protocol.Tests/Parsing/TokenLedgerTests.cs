using CatSyphon.Protocol.Parsing;

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
