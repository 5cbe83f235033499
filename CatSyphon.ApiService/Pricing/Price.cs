namespace CatSyphon.ApiService.Pricing;

/// <summary>
/// A model's prices: <see cref="Standard"/> rates, the <see cref="LongContext"/> tier when the vendor bills large
/// requests higher, and the <see cref="FastMultiplier"/> of fast-mode responses (1 when the model has none).
/// </summary>
public sealed record Price(Rates Standard, LongContextTier? LongContext = null, decimal FastMultiplier = 1)
{
    /// <summary>The cost in USD of one API response (tiers apply per response, so never pass sums of several).</summary>
    public decimal CostOf(RequestTokens request)
    {
        var cost = LongContext switch
        {
            null => Standard.CostOf(request),
            { Rule: LongContextRule.WholeRequest } tier => request.Prompt > tier.Above ? tier.Rates.CostOf(request) : Standard.CostOf(request),
            { Rule: LongContextRule.EachKind } tier => Standard.CostOf(request.UpTo(tier.Above)) + tier.Rates.CostOf(request.Beyond(tier.Above)),
            _ => throw new InvalidOperationException($"Unknown long-context rule {LongContext.Rule}."),
        };
        return request.Fast ? cost * FastMultiplier : cost;
    }
}

/// <summary>Prices in USD per million tokens; cache writes to the 5-minute cache and to the 1-hour cache apart.</summary>
public sealed record Rates(decimal Input, decimal Output, decimal CacheWrite, decimal CacheWrite1h, decimal CacheRead)
{
    private const decimal TokensPerUnit = 1_000_000m;

    /// <summary>The cost in USD of these tokens at these rates, whatever their requests' sizes.</summary>
    public decimal CostOf(RequestTokens tokens) =>
        (tokens.Input * Input + tokens.Output * Output + tokens.CacheCreation5m * CacheWrite + tokens.CacheCreation1h * CacheWrite1h
         + tokens.CacheRead * CacheRead) / TokensPerUnit;
}

/// <summary>How a long-context tier applies to one request (see <see cref="PricingOptions"/>).</summary>
public enum LongContextRule
{
    /// <summary>Of each kind of tokens, those beyond <see cref="LongContextTier.Above"/> in the request cost the tier's rate (Anthropic).</summary>
    EachKind,

    /// <summary>A request whose prompt (input, cache writes and reads) passes <see cref="LongContextTier.Above"/> costs the tier's rates for all its tokens (OpenAI).</summary>
    WholeRequest,
}

/// <summary>Higher <see cref="Rates"/> for requests beyond <see cref="Above"/> tokens, as <see cref="Rule"/> says.</summary>
public sealed record LongContextTier(LongContextRule Rule, long Above, Rates Rates);

/// <summary>
/// The tokens of one API response (or, for <see cref="Rates.CostOf"/>, of several): <see cref="CacheCreation"/> counts all
/// cache writes, <see cref="CacheCreation1h"/> the part of them written to the 1-hour cache.
/// </summary>
public readonly record struct RequestTokens(long Input, long Output, long CacheCreation, long CacheRead, long CacheCreation1h = 0, bool Fast = false)
{
    public long CacheCreation5m => CacheCreation - CacheCreation1h;

    /// <summary>Input-side tokens: what a request's context holds.</summary>
    public long Prompt => Input + CacheCreation + CacheRead;

    /// <summary>Of each kind, the tokens up to <paramref name="limit"/>.</summary>
    public RequestTokens UpTo(long limit) => new(
        Math.Min(Input, limit), Math.Min(Output, limit), Math.Min(CacheCreation5m, limit) + Math.Min(CacheCreation1h, limit),
        Math.Min(CacheRead, limit), Math.Min(CacheCreation1h, limit), Fast);

    /// <summary>Of each kind, the tokens beyond <paramref name="limit"/>.</summary>
    public RequestTokens Beyond(long limit)
    {
        var upTo = UpTo(limit);
        return new(Input - upTo.Input, Output - upTo.Output, CacheCreation - upTo.CacheCreation, CacheRead - upTo.CacheRead,
            CacheCreation1h - upTo.CacheCreation1h, Fast);
    }
}
