namespace CatSyphon.Contracts;

/// <summary>Token totals of one group with their cost; tokens no price applies to are counted apart, never as free.</summary>
public sealed record PricedTotals(string? Key, long Input, long Output, long CacheCreation, long CacheRead, decimal Cost, long UnpricedTokens)
{
    public static readonly PricedTotals None = new(null, 0, 0, 0, 0, 0, 0);

    public long Total => Input + Output + CacheCreation + CacheRead;

    /// <summary>These totals and <paramref name="other"/>'s, under this key.</summary>
    public PricedTotals Add(PricedTotals other) => this with
    {
        Input = Input + other.Input,
        Output = Output + other.Output,
        CacheCreation = CacheCreation + other.CacheCreation,
        CacheRead = CacheRead + other.CacheRead,
        Cost = Cost + other.Cost,
        UnpricedTokens = UnpricedTokens + other.UnpricedTokens,
    };
}

/// <summary>
/// The tokens and cost a conversation or an activity group reports, from its <see cref="PricedTotals"/>. A record
/// derived from this one writes its own fields first, then these (System.Text.Json writes base-type fields last).
/// </summary>
public abstract record PricedTokenCounts
{
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheCreationTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long TotalTokens => InputTokens + OutputTokens + CacheCreationTokens + CacheReadTokens;

    /// <summary>USD of the priced tokens (0 with none); see <see cref="UnpricedTokens"/>.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Tokens of models the price table does not know (or without a model): not in the cost.</summary>
    public long UnpricedTokens { get; init; }
}

public static class PricedTokenCountsExtensions
{
    /// <summary>A copy of <paramref name="record"/> with the tokens and cost of <paramref name="totals"/>; the record itself when there are none.</summary>
    public static T WithTotals<T>(this T record, PricedTotals? totals) where T : PricedTokenCounts => totals is null ? record : (T)((PricedTokenCounts)record with
    {
        InputTokens = totals.Input,
        OutputTokens = totals.Output,
        CacheCreationTokens = totals.CacheCreation,
        CacheReadTokens = totals.CacheRead,
        CostUsd = totals.Cost,
        UnpricedTokens = totals.UnpricedTokens,
    });
}

public sealed record TokenStats(Guid WorkspaceId, string GroupBy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<PricedTotals> Groups, PricedTotals Totals);

public sealed record ActivityGroup : PricedTokenCounts
{
    /// <summary>The group: a UTC day (yyyy-MM-dd), a model, a project or developer id, or an agent type; null for "none".</summary>
    public string? Key { get; init; }

    /// <summary>A readable name for project and developer groups.</summary>
    public string? Label { get; init; }

    public long Sessions { get; init; }
    public long Messages { get; init; }
    public long ToolCalls { get; init; }
    public long ActiveDevelopers { get; init; }
    public double? AverageDurationSeconds { get; init; }
    public double TotalDurationSeconds { get; init; }
    public IReadOnlyDictionary<string, long> Outcomes { get; init; } = new Dictionary<string, long>();

    /// <summary>Share of the sessions with an outcome that ended with each outcome.</summary>
    public IReadOnlyDictionary<string, double> OutcomeRates { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// Sessions per outcome the worker tagged from the evidence (see <see cref="SessionOutcome"/>); the outcomes above
    /// are the ones collectors reported. Sessions not tagged yet are in neither.
    /// </summary>
    public IReadOnlyDictionary<string, long> TaggedOutcomes { get; init; } = new Dictionary<string, long>();

    /// <summary>The tagged success rate (<see cref="Contracts.OutcomeRates.Success"/>); null with no decided outcome.</summary>
    public double? SuccessRate { get; init; }
}

public sealed record ActivityReport(Guid WorkspaceId, string GroupBy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<ActivityGroup> Groups, ActivityGroup Totals);

public sealed record ToolUsage
{
    public required string ToolName { get; init; }
    public long Calls { get; init; }
    public long Errors { get; init; }
    /// <summary>Calls whose result has not been seen (still running, or the session ended first).</summary>
    public long WithoutResult { get; init; }
    public double ErrorRate { get; init; }
    public long Sessions { get; init; }
    public double? AverageDurationMs { get; init; }
}

public sealed record ToolUsageReport(Guid WorkspaceId, DateTimeOffset? From, DateTimeOffset? To, long Calls, long Errors, double ErrorRate, IReadOnlyList<ToolUsage> Tools);
