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

/// <summary>Prices in USD per million tokens. Every one is required: a price left out must not turn into a silent zero.</summary>
public class RatesOptions
{
    public decimal? Input { get; set; }

    public decimal? Output { get; set; }

    /// <summary>Cache creation tokens written to the 5-minute cache (Anthropic: 1.25 times input; 0 for OpenAI, which bills no writes).</summary>
    public decimal? CacheWrite { get; set; }

    /// <summary>Cache creation tokens written to the 1-hour cache (Anthropic: twice the input price; 0 for OpenAI).</summary>
    public decimal? CacheWrite1h { get; set; }

    public decimal? CacheRead { get; set; }
}

/// <summary>
/// One price of a model, in force from <see cref="From"/> until the model's next entry: its rates, and optionally
/// the rates of its <see cref="LongContext"/> tier and the <see cref="FastMultiplier"/> of its fast mode.
/// </summary>
public sealed class PriceEntryOptions : RatesOptions
{
    public DateOnly? From { get; set; }

    /// <summary>The multiple of every price a fast-mode response (<c>"speed": "fast"</c>) costs; 1 when left out.</summary>
    public decimal? FastMultiplier { get; set; }

    /// <summary>Higher rates for large requests, when the vendor bills them.</summary>
    public LongContextOptions? LongContext { get; set; }
}

/// <summary>
/// A long-context tier: with <see cref="LongContextRule.EachKind"/> (Anthropic), the tokens of each kind beyond
/// <see cref="Above"/> in one request cost these rates; with <see cref="LongContextRule.WholeRequest"/> (OpenAI), a
/// request whose prompt (input, cache writes and reads) passes <see cref="Above"/> costs these rates for all its tokens.
/// </summary>
public sealed class LongContextOptions : RatesOptions
{
    public LongContextRule? Rule { get; set; }

    /// <summary>Tokens per request up to which the standard rates apply.</summary>
    public long? Above { get; set; }
}
