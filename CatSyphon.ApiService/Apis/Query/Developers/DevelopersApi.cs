namespace CatSyphon.ApiService.Apis.Query.Developers;

/// <summary>Developers of a workspace with their sessions, last activity, tokens and cost.</summary>
public static class DevelopersApi
{
    public static RouteGroupBuilder MapDevelopersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/developers", "Developers");

        api.MapGet("/", ListDevelopers).RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("Developers of a workspace with session and project counts, last activity, tokens and cost, most recently active first");
        api.MapPut("/{id:guid}/user", LinkDeveloper).RequireWorkspaceRole(WorkspaceRole.Admin)
            .WithSummary("Link a developer identity seen in sessions to a person of the organization (user_id null unlinks): its sessions become theirs");
        return api;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LinkDeveloper(
        Guid id, [AsParameters] WorkspaceScope workspace, LinkDeveloperRequest request, QueryDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var developer = await db.Developers.FirstOrDefaultAsync(d => d.Id == id && d.WorkspaceId == workspace.Id, cancellationToken);
        if (developer is null)
        {
            return ApiProblems.NotInWorkspace("developer", id);
        }

        if (request.UserId is { } userId
            && !await db.Users.AnyAsync(u => u.Id == userId && u.OrganizationId == db.Workspaces.Where(w => w.Id == workspace.Id).Select(w => w.OrganizationId).First(),
                cancellationToken))
        {
            return ApiProblems.NotFound($"User {userId} does not exist.");
        }

        developer.UserId = request.UserId;
        audit.Record(db, workspace.Id, request.UserId is null ? "developer.unlinked" : "developer.linked", "developer", id, new { request.UserId });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<IReadOnlyList<DeveloperView>>, ProblemHttpResult>> ListDevelopers(
        [AsParameters] WorkspaceScope workspace, QueryDbContext db, PricedTokenTotals tokens, CancellationToken cancellationToken)
    {
        var rows = await DeveloperQueries.ActivityAsync(db, workspace.Id, cancellationToken);
        var totals = await tokens.QueryRangeAsync(db, "c.developer_id::text", workspace.Id, new TimeRange(), cancellationToken);
        IReadOnlyList<DeveloperView> developers = rows.Select(r => new DeveloperView(r.Id, r.Name, r.Detail, r.Sessions, r.Others, r.LastActivityAt,
            totals.GetValueOrDefault(r.Id.ToString()) ?? PricedTotals.None)).ToList();
        return TypedResults.Ok(developers);
    }
}
