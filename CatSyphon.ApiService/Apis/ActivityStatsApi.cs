using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Pricing;
using CatSyphon.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

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
