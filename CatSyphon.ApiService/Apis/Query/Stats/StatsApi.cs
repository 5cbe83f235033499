namespace CatSyphon.ApiService.Apis.Query.Stats;

/// <summary>
/// Analytics of a workspace: token totals that equal the logs' own accounting (ccusage's rules) with their cost, tool
/// usage, team activity, and how sessions ended (their tags) over a date range.
/// </summary>
public static class StatsApi
{
    /// <summary>Token and activity reports are per UTC day unless <c>group_by</c> says otherwise.</summary>
    private const string DefaultGroupBy = "day";

    public static RouteGroupBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/stats", "Analytics");

        api.MapGet("/tokens", GetTokens)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckOneOf("group_by", StatsQueries.TokenGroupings.Keys)
            .WithSummary("Token totals and cost of a workspace per group (day in UTC, model, project, developer or session), counted once per API response");
        api.MapGet("/tools", GetToolUsage).RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("Tool calls, errors, error rate and average duration per tool over a date range (optionally one project)");
        api.MapGet("/activity", GetActivity)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckOneOf("group_by", ActivityQueries.Groupings.Keys)
            .CheckOrder("from", "to")
            .WithSummary("Sessions, messages, tool calls, tokens, active developers, outcome rates and durations over a date range (optionally one project), grouped by day (UTC), model, project, developer or agent type");
        api.MapGet("/insights", GetInsights)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckOrder("from", "to")
            .WithSummary("How the sessions of a date range (optionally one project) ended and what they set out to do: sessions per tagged outcome and intent");
        return api;
    }

    public static async Task<Results<Ok<TokenStats>, ProblemHttpResult>> GetTokens(
        [AsParameters] WorkspaceScope workspace,
        [AsParameters] TimeRange range,
        [FromQuery(Name = "group_by")] string? groupBy,
        QueryDbContext db,
        PricedTokenTotals tokens,
        CancellationToken cancellationToken)
    {
        var grouping = groupBy ?? DefaultGroupBy;
        var groups = (await tokens.QueryRangeAsync(db, StatsQueries.TokenGroupings[grouping], workspace.Id, range, cancellationToken)).Values.ToList();
        var totals = groups.Aggregate(PricedTotals.None, (sum, group) => sum.Add(group));
        return TypedResults.Ok(new TokenStats(workspace.Id, grouping, range.From, range.To, groups, totals));
    }

    public static async Task<Results<Ok<ToolUsageReport>, ProblemHttpResult>> GetToolUsage(
        [AsParameters] WorkspaceScope workspace,
        [FromQuery(Name = "project_id")] Guid? projectId,
        [AsParameters] TimeRange range,
        QueryDbContext db,
        CancellationToken cancellationToken)
    {
        var tools = await StatsQueries.ToolUsageAsync(db, workspace.Id, projectId, range, cancellationToken);
        var calls = tools.Sum(t => t.Calls);
        var errors = tools.Sum(t => t.Errors);
        var answered = calls - tools.Sum(t => t.WithoutResult);
        return TypedResults.Ok(new ToolUsageReport(workspace.Id, range.From, range.To, calls, errors, answered == 0 ? 0 : (double)errors / answered, tools));
    }

    public static async Task<Results<Ok<InsightReport>, ProblemHttpResult>> GetInsights(
        [AsParameters] WorkspaceScope workspace,
        [AsParameters] TimeRange range,
        [FromQuery(Name = "project_id")] Guid? projectId,
        QueryDbContext db,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await InsightQueries.ReportAsync(db, workspace.Id, projectId, range, cancellationToken));

    public static async Task<Results<Ok<ActivityReport>, ProblemHttpResult>> GetActivity(
        [AsParameters] WorkspaceScope workspace,
        [AsParameters] TimeRange range,
        [FromQuery(Name = "group_by")] string? groupBy,
        [FromQuery(Name = "project_id")] Guid? projectId,
        QueryDbContext db,
        PricedTokenTotals pricedTokens,
        IServiceScopeFactory scopes,
        CancellationToken cancellationToken)
    {
        var groupName = groupBy ?? DefaultGroupBy;
        // A second context (and connection) of the pool, for the query that runs beside the request's own.
        await using var tokensScope = scopes.CreateAsyncScope();
        var (groups, totals) = await ActivityQueries.ReportAsync(
            db, tokensScope.ServiceProvider.GetRequiredService<QueryDbContext>(), pricedTokens, groupName,
            new ActivityQueries.ActivityRange(workspace.Id, range, projectId), cancellationToken);
        return TypedResults.Ok(new ActivityReport(workspace.Id, groupName, range.From, range.To, groups, totals));
    }
}
