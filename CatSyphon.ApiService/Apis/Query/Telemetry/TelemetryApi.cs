namespace CatSyphon.ApiService.Apis.Query.Telemetry;

/// <summary>
/// What the agents reported over OTLP, beside CatSyphon's own numbers: one session's (the session page) and a
/// workspace's over a time range (the dashboard). Viewers of the workspace, like the session detail and the stats.
/// </summary>
public static class TelemetryApi
{
    public static RouteGroupBuilder MapTelemetryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api", "Agent telemetry");

        api.MapGet("/conversations/{id:guid}/telemetry", GetSessionTelemetry)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("A session's telemetry as its agent reported it (cost, tokens, active time, lines, commits, PRs, tool decisions, API errors and latency) beside CatSyphon's priced totals");
        api.MapGet("/stats/telemetry", GetWorkspaceTelemetry)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckOrder("from", "to")
            .WithSummary("A workspace's reported telemetry over a date range, overall and per agent, beside CatSyphon's priced totals, with decisions, errors and the people it names");
        return api;
    }

    public static async Task<Results<Ok<SessionTelemetry>, ProblemHttpResult>> GetSessionTelemetry(
        Guid id, [AsParameters] WorkspaceScope workspace, QueryDbContext db, PricedTokenTotals tokens, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == id && c.WorkspaceId == workspace.Id)
            .Select(c => new { c.SessionId, c.AgentType, c.FromTelemetry, c.EventCount })
            .SingleOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            return ApiProblems.NotInWorkspace("conversation", id);
        }

        var rows = await TelemetryQueries.ReadAsync(db, workspace.Id, conversation.SessionId, new TimeRange(), cancellationToken);
        var (reported, _) = ReportedMetrics.From(rows);
        var priced = (await tokens.QueryAsync(db, "u.conversation_id::text", "u.conversation_id = @id", [new("id", id)], cancellationToken)).Values
            .Aggregate(PricedTotals.None, (sum, group) => sum.Add(group));
        return TypedResults.Ok(new SessionTelemetry(
            id, conversation.SessionId, conversation.AgentType, conversation.FromTelemetry && conversation.EventCount == 0,
            reported, priced, rows.Decisions, rows.ApiErrors, rows.People));
    }

    public static async Task<Results<Ok<WorkspaceTelemetry>, ProblemHttpResult>> GetWorkspaceTelemetry(
        [AsParameters] WorkspaceScope workspace, [AsParameters] TimeRange range, QueryDbContext db, PricedTokenTotals tokens, CancellationToken cancellationToken)
    {
        var rows = await TelemetryQueries.ReadAsync(db, workspace.Id, null, range, cancellationToken);
        var (reported, byAgent) = ReportedMetrics.From(rows);
        var (sessions, telemetryOnly) = await TelemetryQueries.SessionCountsAsync(db, workspace.Id, range, cancellationToken);
        var priced = (await tokens.QueryRangeAsync(db, "'all'", workspace.Id, range, cancellationToken)).Values
            .Aggregate(PricedTotals.None, (sum, group) => sum.Add(group));
        return TypedResults.Ok(new WorkspaceTelemetry(
            workspace.Id, range.From, range.To, sessions, telemetryOnly, reported, priced, byAgent, rows.Decisions, rows.ApiErrors, rows.People));
    }
}
