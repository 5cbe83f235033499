namespace CatSyphon.ApiService.Pricing;

/// <summary>A model's prices in USD per million tokens.</summary>
public sealed record Price(decimal Input, decimal Output, decimal CacheWrite, decimal CacheRead)
{
    private const decimal TokensPerUnit = 1_000_000m;

    /// <summary>The cost in USD of a token count (cache creation tokens at <see cref="CacheWrite"/>).</summary>
    public decimal CostOf(long input, long output, long cacheCreation, long cacheRead) =>
        (input * Input + output * Output + cacheCreation * CacheWrite + cacheRead * CacheRead) / TokensPerUnit;
}
