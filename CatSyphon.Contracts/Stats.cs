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

public sealed record TokenStats(Guid WorkspaceId, string GroupBy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<PricedTotals> Groups, PricedTotals Totals);

public sealed record ActivityGroup
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

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheCreationTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long TotalTokens => InputTokens + OutputTokens + CacheCreationTokens + CacheReadTokens;

    /// <summary>USD of the priced tokens; <see cref="UnpricedTokens"/> are not in it.</summary>
    public decimal CostUsd { get; init; }

    public long UnpricedTokens { get; init; }
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
