namespace CatSyphon.Protocol.Parsing;

/// <summary>
/// Token counts of a set of API responses; <see cref="CacheCreation1hTokens"/> is the part of
/// <see cref="CacheCreationTokens"/> written to the 1-hour cache.
/// </summary>
public sealed record TokenCounts(long InputTokens, long OutputTokens, long CacheCreationTokens, long CacheReadTokens, long CacheCreation1hTokens = 0)
{
    public static readonly TokenCounts Zero = new(0, 0, 0, 0);

    public long Total => InputTokens + OutputTokens + CacheCreationTokens + CacheReadTokens;

    public TokenCounts Add(TokenCounts other) => new(
        InputTokens + other.InputTokens,
        OutputTokens + other.OutputTokens,
        CacheCreationTokens + other.CacheCreationTokens,
        CacheReadTokens + other.CacheReadTokens,
        CacheCreation1hTokens + other.CacheCreation1hTokens);
}

/// <summary>
/// Token totals after deduplication: overall, by UTC day (<c>yyyy-MM-dd</c>) and by model. Usage without a
/// model name (ccusage's <c>&lt;synthetic&gt;</c> responses) counts in the totals and by day, and by model under
/// <see cref="NoModel"/>. Dictionaries are sorted by key (ordinal).
/// </summary>
public sealed record ScanTotals(
    TokenCounts Totals,
    IReadOnlyDictionary<string, TokenCounts> ByDay,
    IReadOnlyDictionary<string, TokenCounts> ByModel,
    int UsageRecords,
    int DistinctResponses)
{
    /// <summary>The <see cref="ByModel"/> key of usage that has no model name.</summary>
    public const string NoModel = "<none>";
}
