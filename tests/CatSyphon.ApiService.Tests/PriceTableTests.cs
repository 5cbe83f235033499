using CatSyphon.ApiService.Pricing;
using Microsoft.Extensions.Options;
using static CatSyphon.ApiService.Tests.TestPrices;

namespace CatSyphon.ApiService.Tests;

public class PriceTableTests
{
    private static readonly DateOnly AnyDay = Day("2026-02-12");

    [Fact]
    public void A_model_configured_by_its_own_name_takes_its_price()
    {
        var table = Table(("claude-opus-4-6", [Entry("2025-01-01", 5, 25, 6.25m, 0.5m)]));

        Assert.Equal(Standard(5, 25, 6.25m, 0.5m), table.Find("claude-opus-4-6", AnyDay));
    }

    [Fact]
    public void A_dated_snapshot_takes_the_price_of_the_name_it_continues()
    {
        var table = Table(("claude-sonnet-4-5", [Entry("2025-01-01", 3)]));

        Assert.Equal(3, table.Find("claude-sonnet-4-5-20250929", AnyDay)?.Standard.Input);
        Assert.Equal(3, table.Find("claude-sonnet-4-5-20991231", AnyDay)?.Standard.Input);
    }

    [Fact]
    public void An_exact_entry_beats_the_name_it_continues()
    {
        var table = Table(
            ("claude-sonnet-4-5", [Entry("2025-01-01", 3)]),
            ("claude-sonnet-4-5-20250929", [Entry("2025-01-01", 4)]));

        Assert.Equal(4, table.Find("claude-sonnet-4-5-20250929", AnyDay)?.Standard.Input);
        Assert.Equal(3, table.Find("claude-sonnet-4-5-20260101", AnyDay)?.Standard.Input);
    }

    [Fact]
    public void The_longest_matching_name_wins_whatever_the_configuration_order()
    {
        var table = Table(
            ("gpt-5.1-codex-mini", [Entry("2025-01-01", 0.25m)]),
            ("gpt-5.1", [Entry("2025-01-01", 1)]),
            ("gpt-5.1-codex", [Entry("2025-01-01", 1.25m)]));

        Assert.Equal(0.25m, table.Find("gpt-5.1-codex-mini-2026-01-01", AnyDay)?.Standard.Input);
        Assert.Equal(1.25m, table.Find("gpt-5.1-codex-max", AnyDay)?.Standard.Input);
        Assert.Equal(1, table.Find("gpt-5.1-chat-latest", AnyDay)?.Standard.Input);
    }

    [Theory]
    [InlineData("gpt-5", "gpt-5.5")]
    [InlineData("claude-opus-4-1", "claude-opus-4-10")]
    [InlineData("claude-opus-4-20250514", "claude-opus-4-9")]
    public void A_name_continued_without_a_dash_is_another_model(string configured, string logged)
    {
        var table = Table((configured, [Entry("2025-01-01", 1)]));

        Assert.Null(table.Find(logged, AnyDay));
    }

    [Fact]
    public void A_price_change_applies_from_its_day_on()
    {
        // Listed newest first: the table orders a model's entries by their day.
        var table = Table(("o3", [Entry("2025-06-10", 2, 8), Entry("2025-04-16", 10, 40)]));

        Assert.Null(table.Find("o3", Day("2025-04-15")));
        Assert.Equal(Standard(10, 40, 0, 0), table.Find("o3", Day("2025-04-16")));
        Assert.Equal(Standard(10, 40, 0, 0), table.Find("o3", Day("2025-06-09")));
        Assert.Equal(Standard(2, 8, 0, 0), table.Find("o3", Day("2025-06-10")));
        Assert.Equal(Standard(2, 8, 0, 0), table.Find("o3", Day("2030-01-01")));
    }

    [Fact]
    public void Before_a_longer_names_first_price_the_shorter_name_in_force_prices_it()
    {
        var table = Table(
            ("claude-sonnet-4-5", [Entry("2025-01-01", 3)]),
            ("claude-sonnet-4-5-20250929", [Entry("2026-01-01", 4)]));

        Assert.Equal(3, table.Find("claude-sonnet-4-5-20250929", Day("2025-12-31"))?.Standard.Input);
        Assert.Equal(4, table.Find("claude-sonnet-4-5-20250929", Day("2026-01-01"))?.Standard.Input);
    }

    [Theory]
    [InlineData("claude-unknown-9")]
    [InlineData("sonnet")]
    [InlineData("<synthetic>")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_and_missing_models_are_unpriced(string? model)
    {
        var table = Table(("claude-sonnet-4-5", [Entry("2025-01-01", 3)]));

        Assert.Null(table.Find(model, AnyDay));
    }

    [Fact]
    public void Cost_is_each_token_kind_at_its_price_per_million()
    {
        var price = Standard(input: 3, output: 15, cacheWrite: 3.75m, cacheRead: 0.3m, cacheWrite1h: 6);

        Assert.Equal(3m + 30m + 11.25m + 1.2m + 30m,
            price.CostOf(new RequestTokens(Input: 1_000_000, Output: 2_000_000, CacheCreation: 8_000_000, CacheRead: 4_000_000, CacheCreation1h: 5_000_000)));
        Assert.Equal(0.0000003m, price.CostOf(new RequestTokens(0, 0, 0, CacheRead: 1)));
    }

    [Fact]
    public void Sql_parameters_hold_every_entry_with_the_day_its_price_ends()
    {
        var table = Table(
            ("gpt-5", [Entry("2025-01-01", 1.25m, 10, 0, 0.125m)]),
            ("o3", [Entry("2025-06-10", 2, 8, 0, 0.5m), Entry("2025-04-16", 10, 40, 0, 2.5m)]));

        var parameters = table.CreateSqlParameters().ToDictionary(parameter => parameter.ParameterName, parameter => parameter.Value);

        Assert.Equal(
            [
                "price_model", "price_from", "price_until", "price_input", "price_output", "price_cache_write", "price_cache_write_1h",
                "price_cache_read", "price_fast", "tier_rule", "tier_input", "tier_output", "tier_cache_write",
                "tier_cache_write_1h", "tier_cache_read", "each_kind_above", "whole_request_above",
            ],
            parameters.Keys);
        Assert.Equal(["gpt-5", "o3", "o3"], (string[])parameters["price_model"]!);
        Assert.Equal([Day("2025-01-01"), Day("2025-04-16"), Day("2025-06-10")], (DateOnly[])parameters["price_from"]!);
        Assert.Equal([DateOnly.MaxValue, Day("2025-06-10"), DateOnly.MaxValue], (DateOnly[])parameters["price_until"]!);
        Assert.Equal([1.25m, 10, 2], (decimal[])parameters["price_input"]!);
        Assert.Equal([10m, 40, 8], (decimal[])parameters["price_output"]!);
        Assert.Equal([0m, 0, 0], (decimal[])parameters["price_cache_write"]!);
        Assert.Equal([0.125m, 2.5m, 0.5m], (decimal[])parameters["price_cache_read"]!);
        Assert.Equal([1m, 1, 1], (decimal[])parameters["price_fast"]!);
        Assert.All((string?[])parameters["tier_rule"]!, Assert.Null);
        Assert.Equal(long.MaxValue, parameters["each_kind_above"]);
        Assert.Equal(long.MaxValue, parameters["whole_request_above"]);
    }

    [Fact]
    public void Sql_parameters_are_new_for_every_command()
    {
        var table = Table(("gpt-5", [Entry("2025-01-01", 1.25m)]));

        Assert.NotSame(table.CreateSqlParameters()[0], table.CreateSqlParameters()[0]);
    }

    [Fact]
    public void A_table_refuses_invalid_options()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Table(("gpt-5", [Entry("2025-01-01", -1)])));

        Assert.Contains("Pricing:Models:gpt-5:0:Input", error.Message);
    }
}
