using CatSyphon.ApiService.Pricing;
using static CatSyphon.ApiService.Tests.TestPrices;

namespace CatSyphon.ApiService.Tests;

public class PricingOptionsValidatorTests
{
    private static IEnumerable<string> Errors(PricingOptions options) =>
        new PricingOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void A_complete_table_is_valid()
    {
        var options = Options(
            ("gpt-5", [Entry("2025-01-01", 1.25m, 10, 0, 0.125m)]),
            ("o3", [Entry("2025-04-16", 10, 40, 0, 2.5m), Entry("2025-06-10", 2, 8, 0, 0.5m)]));

        Assert.True(new PricingOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void A_negative_price_is_refused_with_its_path()
    {
        var options = Options(("gpt-5", [Entry("2025-01-01", 1.25m, 10, 0, cacheRead: -0.125m)]));

        Assert.Equal(["Pricing:Models:gpt-5:0:CacheRead is -0.125; a price cannot be negative."], Errors(options));
    }

    [Fact]
    public void Two_prices_of_a_model_from_the_same_day_are_refused()
    {
        var options = Options(("o3", [Entry("2025-06-10", 2, 8), Entry("2025-06-10", 10, 40)]));

        Assert.Equal(["Pricing:Models:o3 has more than one price from 2025-06-10."], Errors(options));
    }

    [Fact]
    public void The_same_day_for_two_models_is_fine()
    {
        var options = Options(("gpt-5", [Entry("2025-06-10", 1)]), ("o3", [Entry("2025-06-10", 2)]));

        Assert.Empty(Errors(options));
    }

    [Fact]
    public void A_missing_day_or_price_is_refused_rather_than_read_as_zero()
    {
        var options = Options(("gpt-5", [new PriceEntryOptions { Input = 1.25m, Output = 10, CacheRead = 0.125m }]));

        Assert.Equal(
            [
                "Pricing:Models:gpt-5:0:From is required: the first day (yyyy-MM-dd, UTC) the price applies.",
                "Pricing:Models:gpt-5:0:CacheWrite is required (USD per million tokens; 0 when the model does not bill it).",
                "Pricing:Models:gpt-5:0:CacheWrite1h is required (USD per million tokens; 0 when the model does not bill it).",
            ],
            Errors(options));
    }

    [Theory]
    [InlineData("")]
    [InlineData("gpt 5")]
    public void A_model_name_must_be_a_single_word(string model)
    {
        var options = Options((model, [Entry("2025-01-01", 1)]));

        Assert.Equal([$"Pricing:Models:{model}: a model name must be non-empty and without spaces."], Errors(options));
    }

    [Fact]
    public void A_model_without_prices_is_refused()
    {
        var options = Options(("gpt-5", []));

        Assert.Equal(["Pricing:Models:gpt-5 has no price."], Errors(options));
    }

    [Fact]
    public void A_long_context_tier_needs_its_rule_threshold_and_rates()
    {
        var entry = Entry("2025-01-01", 3);
        entry.LongContext = new LongContextOptions { Above = 0, Input = 6, Output = 22.5m, CacheWrite = 7.5m, CacheRead = -1 };
        entry.FastMultiplier = 0.5m;

        Assert.Equal(
            [
                "Pricing:Models:m:0:FastMultiplier is 0.5; fast mode never costs less than standard (at least 1).",
                "Pricing:Models:m:0:LongContext:Rule is required: EachKind or WholeRequest.",
                "Pricing:Models:m:0:LongContext:Above is required: the tokens per request (more than 0) up to which the standard rates apply.",
                "Pricing:Models:m:0:LongContext:CacheWrite1h is required (USD per million tokens; 0 when the model does not bill it).",
                "Pricing:Models:m:0:LongContext:CacheRead is -1; a price cannot be negative.",
            ],
            Errors(Options(("m", [entry]))));
    }

    [Fact]
    public void Long_context_tiers_of_one_rule_start_at_one_token_count()
    {
        PriceEntryOptions Tiered(long above)
        {
            var entry = Entry("2025-01-01", 3);
            entry.LongContext = new LongContextOptions
            {
                Rule = LongContextRule.EachKind, Above = above, Input = 6, Output = 22.5m, CacheWrite = 7.5m, CacheWrite1h = 12, CacheRead = 0.6m,
            };
            return entry;
        }

        Assert.Empty(Errors(Options(("a", [Tiered(200_000)]), ("b", [Tiered(200_000)]))));
        Assert.Equal(
            ["Pricing: every EachKind long-context tier must start above the same token count; found 200000, 128000."],
            Errors(Options(("a", [Tiered(200_000)]), ("b", [Tiered(128_000)]))));
    }
}
