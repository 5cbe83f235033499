using CatSyphon.ApiService.Pricing;
using static CatSyphon.ApiService.Tests.TestPrices;

namespace CatSyphon.ApiService.Tests;

/// <summary>The per-response rules: 1-hour cache writes, long-context tiers at their boundaries, fast mode.</summary>
public class RequestPricingTests
{
    // Round numbers (USD per million tokens) so that each case's cost can be read off.
    private static readonly Rates Base = new(Input: 1, Output: 10, CacheWrite: 100, CacheWrite1h: 1_000, CacheRead: 10_000);
    private static readonly Rates Higher = new(Input: 2, Output: 20, CacheWrite: 200, CacheWrite1h: 2_000, CacheRead: 20_000);
    private static readonly Price EachKind = new(Base, new LongContextTier(LongContextRule.EachKind, 200_000, Higher));
    private static readonly Price WholeRequest = new(Base, new LongContextTier(LongContextRule.WholeRequest, 272_000, Higher));

    [Fact]
    public void One_hour_cache_writes_cost_their_own_rate_and_the_rest_the_five_minute_rate()
    {
        Assert.Equal(0.0003m * 100 + 0.0001m * 1_000, new Price(Base).CostOf(new RequestTokens(0, 0, CacheCreation: 400, CacheRead: 0, CacheCreation1h: 100)));
    }

    [Theory]
    [InlineData(200_000, 0.2)]
    [InlineData(200_001, 0.200002)]
    [InlineData(250_000, 0.3)]
    public void Each_kind_pays_the_higher_rate_only_for_its_tokens_beyond_the_threshold(long input, double cost)
    {
        Assert.Equal((decimal)cost, EachKind.CostOf(new RequestTokens(input, 0, 0, 0)));
    }

    [Fact]
    public void Each_kind_is_held_against_the_threshold_on_its_own()
    {
        // 150k input and 150k cache reads: 300k in the context, yet no kind passes 200k.
        Assert.Equal(0.15m + 1_500m, EachKind.CostOf(new RequestTokens(150_000, 0, 0, CacheRead: 150_000)));
        // 5-minute and 1-hour writes are two kinds, as ccusage counts them.
        Assert.Equal(15m + 150m, EachKind.CostOf(new RequestTokens(0, 0, CacheCreation: 300_000, CacheRead: 0, CacheCreation1h: 150_000)));
        // Beyond the threshold in every kind: 200k at the base rate and 1 token at the higher one, each.
        var all = new RequestTokens(200_001, 200_001, CacheCreation: 400_002, CacheRead: 200_001, CacheCreation1h: 200_001);
        Assert.Equal((200_000m * (1 + 10 + 100 + 1_000 + 10_000) + 2 + 20 + 200 + 2_000 + 20_000) / 1_000_000, EachKind.CostOf(all));
    }

    [Theory]
    [InlineData(272_000, 0, 0.272)]
    [InlineData(272_001, 0, 0.544002)]
    [InlineData(0, 272_001, 5_440.02)]
    [InlineData(100_000, 172_001, 0.2 + 3_440.02)]
    public void A_whole_request_whose_prompt_passes_the_threshold_pays_the_higher_rates(long input, long cacheRead, double cost)
    {
        Assert.Equal((decimal)cost, WholeRequest.CostOf(new RequestTokens(input, 0, 0, cacheRead)));
    }

    [Fact]
    public void Output_alone_never_reaches_the_whole_request_tier_but_is_billed_higher_with_a_large_prompt()
    {
        Assert.Equal(3m, WholeRequest.CostOf(new RequestTokens(0, Output: 300_000, 0, 0)));
        Assert.Equal(0.544002m + 0.02m, WholeRequest.CostOf(new RequestTokens(272_001, Output: 1_000, 0, 0)));
    }

    [Fact]
    public void Fast_mode_multiplies_every_kind_and_only_where_the_model_has_a_multiplier()
    {
        var opus = new Price(Base, FastMultiplier: 6);
        var tokens = new RequestTokens(1_000, 1_000, CacheCreation: 2_000, CacheRead: 1_000, CacheCreation1h: 1_000);

        Assert.Equal(6 * opus.CostOf(tokens), opus.CostOf(tokens with { Fast = true }));
        Assert.Equal(new Price(Base).CostOf(tokens), new Price(Base).CostOf(tokens with { Fast = true }));
        Assert.Equal(6 * EachKind.CostOf(new RequestTokens(250_000, 0, 0, 0)),
            (EachKind with { FastMultiplier = 6 }).CostOf(new RequestTokens(250_000, 0, 0, 0, Fast: true)));
    }

    [Fact]
    public void A_table_entry_carries_its_tier_and_fast_multiplier()
    {
        var entry = Entry("2025-01-01", 1, 10, 100, 10_000, cacheWrite1h: 1_000);
        entry.FastMultiplier = 6;
        entry.LongContext = new LongContextOptions
        {
            Rule = LongContextRule.EachKind, Above = 200_000, Input = 2, Output = 20, CacheWrite = 200, CacheWrite1h = 2_000, CacheRead = 20_000,
        };

        Assert.Equal(EachKind with { FastMultiplier = 6 }, Table(("m", [entry])).Find("m", Day("2026-01-01")));
    }
}
