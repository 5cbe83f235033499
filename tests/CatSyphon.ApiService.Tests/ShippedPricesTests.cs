using CatSyphon.ApiService.Pricing;
using Microsoft.Extensions.Configuration;
using static CatSyphon.ApiService.Tests.TestPrices;

namespace CatSyphon.ApiService.Tests;

/// <summary>The prices shipped in pricing.json against ccusage 20.0.24's cost of the same tokens.</summary>
public class ShippedPricesTests
{
    private static readonly PriceTable Shipped = new(new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, PricingOptions.FileName))
        .Build()
        .GetSection(PricingOptions.SectionName)
        .Get<PricingOptions>()!);

    /// <summary>
    /// Copied from ccusage 20.0.24 on ../shared/data/real-logs (`ccusage claude daily --json --offline -z UTC` with
    /// CLAUDE_CONFIG_DIR=claude, `ccusage codex daily ...` with CODEX_HOME=codex): per UTC day and model, the tokens
    /// (Codex input without its cached part, as we store it) and ccusage's cost. The last column is the day's cache
    /// creation tokens written to the 1-hour cache, counted from the logs' usage.cache_creation.ephemeral_1h_input_tokens.
    /// </summary>
    public static TheoryData<string, string, long, long, long, long, double, long> RealLogs => new()
    {
        { "2025-09-03", "claude-sonnet-4-20250514", 911, 52_886, 150_674, 3_751_073, 2.4863723999999996, 0 },
        { "2025-09-07", "claude-sonnet-4-20250514", 129, 3_629, 47_747, 324_259, 0.33115094999999994, 0 },
        { "2026-01-21", "claude-opus-4-5-20251101", 60, 842, 48_507, 1_701_601, 1.1753192499999998, 0 },
        { "2026-02-10", "claude-opus-4-6", 57, 225, 31_531, 99_746, 0.371093, 31_531 },
        { "2026-02-12", "claude-opus-4-6", 1_780, 84_621, 967_869, 32_961_954, 24.654583249999977, 0 },
        { "2026-02-12", "claude-haiku-4-5-20251001", 272, 29_924, 239_968, 11_568_586, 1.6067105999999995, 0 },
        { "2026-02-12", "claude-sonnet-4-5-20250929", 2_461, 143, 90_071, 633_430, 0.53732325, 0 },
        { "2026-06-05", "claude-opus-4-7", 6, 16, 1_045, 3_057, 0.012408500000000001, 1_045 },
        { "2026-02-23", "gpt-5.3-codex", 1_692_546, 156_921, 0, 32_389_760, 10.8270575, 0 },
        { "2026-02-24", "gpt-5.3-codex", 1_458_055, 66_257, 0, 14_299_392, 5.98158785, 0 },
        { "2026-06-05", "gpt-5.5", 1_675, 10, 0, 20_864, 0.019107000000000002, 0 },
    };

    /// <summary>
    /// Copied from ccusage 20.0.24 on the tree of `gen_claude_logs.py --seed 3 --projects 4 --target-mb 20` (days
    /// 2025-10-02 to 2025-11-14): per model, the tokens and cost summed over the days, and the 1-hour cache writes.
    /// </summary>
    public static TheoryData<string, string, long, long, long, long, double, long> GeneratedLogs => new()
    {
        { "2025-10-02", "claude-sonnet-4-5-20250929", 95_769, 1_715_089, 2_302_444, 102_838_930, 65.94283725000001, 197_045 },
        { "2025-10-02", "claude-haiku-4-5-20251001", 73_374, 542_132, 965_337, 19_648_712, 5.998023450000002, 56_596 },
        { "2025-10-02", "claude-opus-4-1-20250805", 32_669, 1_285_987, 1_396_785, 80_234_588, 245.28076200000004, 160_009 },
    };

    /// <summary>
    /// Within a millionth of a dollar (ccusage sums floating point). The rows are sums over many responses, priced at
    /// the standard rates: no response of these logs reaches a long-context tier (none of Claude Sonnet 4 or 4.5 has a
    /// token kind beyond 200k, none of GPT-5.4 or later a prompt beyond 272k) and none is in fast mode.
    /// </summary>
    [Theory]
    [MemberData(nameof(RealLogs))]
    [MemberData(nameof(GeneratedLogs))]
    public void Shipped_prices_give_ccusages_cost(
        string day, string model, long input, long output, long cacheCreation, long cacheRead, double ccusageCost, long oneHourCacheWrites)
    {
        var price = Shipped.Find(model, Day(day));

        Assert.NotNull(price);
        var cost = price.Standard.CostOf(new RequestTokens(input, output, cacheCreation, cacheRead, oneHourCacheWrites));
        Assert.Equal(ccusageCost, (double)cost, tolerance: 0.000001);
    }

    /// <summary>
    /// ccusage 20.0.24's cost of single responses (probe logs, one response a day, read back with `ccusage claude daily`
    /// and `ccusage codex daily`): the long-context tiers at their boundaries, 1-hour writes beyond them, fast mode. The
    /// tokens are as stored (Codex input without its cached part).
    /// </summary>
    public static TheoryData<string, long, long, long, long, long, bool, double> SingleResponses => new()
    {
        { "claude-sonnet-4-5-20250929", 200_000, 0, 0, 0, 0, false, 0.6 },
        { "claude-sonnet-4-5-20250929", 200_001, 0, 0, 0, 0, false, 0.6000059999999999 },
        { "claude-sonnet-4-5-20250929", 100_000, 0, 0, 150_000, 0, false, 0.345 },
        { "claude-sonnet-4-5-20250929", 0, 250_000, 0, 0, 0, false, 4.125 },
        { "claude-sonnet-4-5-20250929", 0, 0, 0, 250_000, 0, false, 0.09 },
        { "claude-sonnet-4-5-20250929", 0, 0, 250_000, 0, 0, false, 1.125 },
        { "claude-sonnet-4-5-20250929", 0, 0, 250_000, 0, 250_000, false, 1.7999999999999998 },
        { "claude-sonnet-4-5-20250929", 0, 0, 300_000, 0, 150_000, false, 1.4625 },
        { "claude-sonnet-4-20250514", 250_000, 0, 0, 0, 0, false, 0.8999999999999999 },
        { "claude-sonnet-4-6", 250_000, 0, 0, 0, 0, false, 0.75 },
        { "claude-opus-4-6", 0, 0, 100_000, 0, 100_000, false, 1.0 },
        { "claude-opus-4-6", 100_000, 0, 0, 0, 0, true, 3.0 },
        { "claude-opus-4-6", 1_000, 2_000, 7_000, 5_000, 4_000, true, 0.6975 },
        { "claude-opus-4-7", 100_000, 0, 0, 0, 0, true, 3.0 },
        { "claude-opus-4-8", 100_000, 0, 0, 0, 0, true, 1.0 },
        { "claude-opus-4-5", 100_000, 0, 0, 0, 0, true, 0.5 },
        { "gpt-5.5", 272_000, 0, 0, 0, 0, false, 1.36 },
        { "gpt-5.5", 272_001, 0, 0, 0, 0, false, 2.7200100000000003 },
        { "gpt-5.5", 200_000, 10_000, 0, 100_000, 0, false, 2.5500000000000003 },
        { "gpt-5.5", 0, 0, 0, 300_000, 0, false, 0.3 },
        { "gpt-5.5", 0, 300_000, 0, 0, 0, false, 9 },
        { "gpt-5.4", 300_000, 10_000, 0, 0, 0, false, 1.7250000000000003 },
        { "gpt-5.6-luna", 300_000, 10_000, 0, 0, 0, false, 0.138 },
        { "gpt-5.5-pro", 300_000, 10_000, 0, 0, 0, false, 20.7 },
        { "gpt-5.4-mini", 300_000, 10_000, 0, 0, 0, false, 0.27 },
        { "gpt-5.3-codex", 300_000, 0, 0, 0, 0, false, 0.525 },
    };

    [Theory]
    [MemberData(nameof(SingleResponses))]
    public void Shipped_prices_give_ccusages_cost_of_single_responses(
        string model, long input, long output, long cacheCreation, long cacheRead, long oneHourCacheWrites, bool fast, double ccusageCost)
    {
        var cost = Shipped.Find(model, Day("2026-12-01"))!.CostOf(new RequestTokens(input, output, cacheCreation, cacheRead, oneHourCacheWrites, fast));

        Assert.Equal(ccusageCost, (double)cost, tolerance: 0.000001);
    }

    [Theory]
    [InlineData("claude-opus-4-7")]
    [InlineData("claude-opus-4-6")]
    [InlineData("claude-opus-4-5-20251101")]
    [InlineData("claude-opus-4-1-20250805")]
    [InlineData("claude-sonnet-4-5-20250929")]
    [InlineData("claude-sonnet-4-20250514")]
    [InlineData("claude-haiku-4-5-20251001")]
    [InlineData("gpt-5.3-codex")]
    [InlineData("gpt-5.5")]
    public void Every_model_in_the_teams_logs_is_priced_today(string model)
    {
        Assert.NotNull(Shipped.Find(model, Day("2026-11-27")));
    }
}
