namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// The workspace a request reads or changes, named by its <c>workspace_id</c> query parameter. A handler takes it
/// <c>[AsParameters]</c>; the <see cref="WorkspaceScopeFilter"/> of its route group resolves it before the handler runs.
/// </summary>
public sealed class WorkspaceScope
{
    private Guid? resolved;

    [FromQuery(Name = WorkspaceScopeFilter.QueryName)]
    public Guid? WorkspaceId { get; init; }

    /// <summary>The workspace, once the filter has found it.</summary>
    public Guid Id => resolved ?? throw new InvalidOperationException(
        "The workspace scope was not resolved: the endpoint's route group needs RequireWorkspaceScope().");

    internal void Resolve(Guid id) => resolved = id;
}

/// <summary>
/// Workspace scoping in one place: an endpoint that takes a <see cref="WorkspaceScope"/> answers 422 without
/// <c>workspace_id</c> and 404 for an unknown workspace, and its handler sees only the resolved scope. Who may act
/// in the workspace (roles) is the next thing decided here.
/// </summary>
internal static class WorkspaceScopeFilter
{
    public const string QueryName = "workspace_id";

    /// <summary>
    /// Scopes the group's endpoints that take a <see cref="WorkspaceScope"/>. The endpoint's own
    /// <see cref="ArgumentChecks"/> run before this filter: a request that cannot be answered costs no database
    /// query, and its problem is the one it always was.
    /// </summary>
    public static RouteGroupBuilder RequireWorkspaceScope(this RouteGroupBuilder group) => group.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var index = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(WorkspaceScope));
        if (index < 0)
        {
            return next;
        }

        return async context =>
        {
            var http = context.HttpContext;
            var db = http.RequestServices.GetRequiredService<CatSyphonDbContext>();
            return await ResolveAsync(context.GetArgument<WorkspaceScope>(index), db, http.RequestAborted) ?? await next(context);
        };
    }

    private static async Task<ProblemHttpResult?> ResolveAsync(WorkspaceScope scope, CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        if (scope.WorkspaceId is not { } id)
        {
            return ApiProblems.Validation(QueryName, $"{QueryName} is required.");
        }

        if (!await db.Workspaces.AnyAsync(w => w.Id == id, cancellationToken))
        {
            return ApiProblems.WorkspaceNotFound(id);
        }

        scope.Resolve(id);
        return null;
    }
}
