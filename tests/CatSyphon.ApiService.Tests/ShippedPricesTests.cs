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
    /// Within a millionth of a dollar, but for 1-hour cache writes: ccusage prices them at twice the input price,
    /// while the stored usage does not tell them from 5-minute writes, so they cost the 5-minute CacheWrite here
    /// (0.4 % under ccusage on the real logs, 0.7 % on the generated tree).
    /// </summary>
    [Theory]
    [MemberData(nameof(RealLogs))]
    [MemberData(nameof(GeneratedLogs))]
    public void Shipped_prices_give_ccusages_cost(
        string day, string model, long input, long output, long cacheCreation, long cacheRead, double ccusageCost, long oneHourCacheWrites)
    {
        var price = Shipped.Find(model, Day(day));

        Assert.NotNull(price);
        var cost = price.CostOf(input, output, cacheCreation, cacheRead);
        var oneHourSurcharge = oneHourCacheWrites * (2 * price.Input - price.CacheWrite) / 1_000_000m;
        Assert.Equal(ccusageCost, (double)(cost + oneHourSurcharge), tolerance: 0.000001);
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
