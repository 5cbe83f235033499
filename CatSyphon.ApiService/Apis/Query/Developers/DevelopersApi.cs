namespace CatSyphon.ApiService.Apis.Query.Developers;

/// <summary>Developers of a workspace with their sessions, last activity, tokens and cost.</summary>
public static class DevelopersApi
{
    public static RouteGroupBuilder MapDevelopersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/developers", "Developers");

        api.MapGet("/", ListDevelopers).WithSummary("Developers of a workspace with session and project counts, last activity, tokens and cost, most recently active first");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<DeveloperView>>, ProblemHttpResult>> ListDevelopers(
        [AsParameters] WorkspaceScope workspace, CatSyphonDbContext db, PricedTokenTotals tokens, CancellationToken cancellationToken)
    {
        var rows = await DeveloperQueries.ActivityAsync(db, workspace.Id, cancellationToken);
        var totals = await tokens.QueryRangeAsync(db, "c.developer_id::text", workspace.Id, new TimeRange(), cancellationToken);
        IReadOnlyList<DeveloperView> developers = rows.Select(r => new DeveloperView(r.Id, r.Name, r.Detail, r.Sessions, r.Others, r.LastActivityAt,
            totals.GetValueOrDefault(r.Id.ToString()) ?? PricedTotals.None)).ToList();
        return TypedResults.Ok(developers);
    }
}
