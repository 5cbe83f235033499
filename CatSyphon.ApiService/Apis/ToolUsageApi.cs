using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

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
