using CatSyphon.ApiService.Pricing;

namespace CatSyphon.ApiService.Tests;

/// <summary>Price tables written the way the configuration binds them.</summary>
internal static class TestPrices
{
    public static PriceEntryOptions Entry(string from, decimal input, decimal output = 0, decimal cacheWrite = 0, decimal cacheRead = 0,
        decimal cacheWrite1h = 0) => new()
    {
        From = DateOnly.Parse(from),
        Input = input,
        Output = output,
        CacheWrite = cacheWrite,
        CacheWrite1h = cacheWrite1h,
        CacheRead = cacheRead,
    };

    /// <summary>A price of standard rates only (no long-context tier, no fast mode).</summary>
    public static Price Standard(decimal input, decimal output, decimal cacheWrite, decimal cacheRead, decimal cacheWrite1h = 0) =>
        new(new Rates(input, output, cacheWrite, cacheWrite1h, cacheRead));

    public static PricingOptions Options(params (string Model, PriceEntryOptions[] Entries)[] models)
    {
        var options = new PricingOptions();
        foreach (var (model, entries) in models)
        {
            options.Models[model] = [.. entries];
        }

        return options;
    }

    public static PriceTable Table(params (string Model, PriceEntryOptions[] Entries)[] models) => new(Options(models));

    public static DateOnly Day(string day) => DateOnly.Parse(day);
}
