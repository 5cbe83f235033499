namespace CatSyphon.ApiService.Pricing;

/// <summary>
/// The dated price table (configuration section <c>Pricing</c>, shipped in <c>pricing.json</c>): per model name,
/// its prices, each from the day it took effect. See <see cref="PriceTable"/> for how names and days match usage.
/// </summary>
public sealed class PricingOptions
{
    public const string SectionName = "Pricing";

    public const string FileName = "pricing.json";

    public Dictionary<string, List<PriceEntryOptions>> Models { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One price of a model in USD per million tokens, in force from <see cref="From"/> until the model's next entry.
/// Every field is required: a price left out must not turn into a silent zero.
/// </summary>
public sealed class PriceEntryOptions
{
    public DateOnly? From { get; set; }

    public decimal? Input { get; set; }

    public decimal? Output { get; set; }

    /// <summary>Cache creation tokens (Anthropic's 5-minute cache write; 0 for OpenAI, which bills no writes).</summary>
    public decimal? CacheWrite { get; set; }

    public decimal? CacheRead { get; set; }
}
