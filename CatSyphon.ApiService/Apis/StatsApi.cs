using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Pricing;
using CatSyphon.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CatSyphon.ApiService.Apis;

/// <summary>Token analytics that equal the logs' own accounting (ccusage's rules), with their cost.</summary>
public static class StatsApi
{
    /// <summary>
    /// Group keys over <c>token_usages</c> (<c>u</c>, one row per API response: a main-session copy before a sub-agent
    /// copy, then the larger total) and its conversation (<c>c</c>). A response counts on the UTC day and under the
    /// model of its counted copy.
    /// </summary>
    private static readonly Dictionary<string, string> Groupings = new(StringComparer.Ordinal)
    {
        ["day"] = "to_char(u.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        ["model"] = "u.model",
        ["project"] = "c.project_id::text",
        ["developer"] = "c.developer_id::text",
        ["session"] = "c.session_id",
    };

    public static RouteGroupBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/stats")
            .WithTags("Analytics")
            .RequireAuthorization(Policies.Admin);

        api.MapGet("/tokens", GetTokens)
            .WithSummary("Token totals and cost of a workspace per group (day in UTC, model, project, developer or session), counted once per API response");
        return api;
    }

    public static async Task<Results<Ok<TokenStats>, ProblemHttpResult>> GetTokens(
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        [FromQuery(Name = "from")] DateTimeOffset? from,
        [FromQuery(Name = "to")] DateTimeOffset? to,
        [FromQuery(Name = "group_by")] string? groupBy,
        CatSyphonDbContext db,
        PricedTokenTotals tokens,
        CancellationToken cancellationToken)
    {
        var grouping = groupBy ?? "day";
        if (!Groupings.TryGetValue(grouping, out var expression))
        {
            return ApiProblems.Validation("group_by", $"group_by must be one of: {string.Join(", ", Groupings.Keys)}.");
        }

        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var groups = (await tokens.QueryRangeAsync(db, expression, workspaceId!.Value, from, to, cancellationToken)).Values.ToList();
        var totals = groups.Aggregate(PricedTotals.None, (sum, group) => sum.Add(group));
        return TypedResults.Ok(new TokenStats(workspaceId.Value, grouping, from, to, groups, totals));
    }
}
