namespace CatSyphon.ApiService.Authentication;

/// <summary>
/// The access rules of the management and query API in one place, as a route-group filter: each endpoint's declared
/// <see cref="EndpointAccess"/> decides. A workspace-scoped endpoint answers 422 without <c>workspace_id</c>, and the 404
/// of an unknown workspace (or collector) when the caller has no role there, so a person cannot tell another team's
/// workspace from a missing one; a role too low for the endpoint is a 403.
/// </summary>
internal static class EndpointAccessFilter
{
    public static RouteGroupBuilder RequireDeclaredAccess(this RouteGroupBuilder group) => group.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var scopeIndex = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(WorkspaceScope));
        return context =>
        {
            // Anonymous endpoints (sign-in) have no caller; every other one has, by the group's authorization policy.
            var caller = Authentication.Caller.From(context.HttpContext.User);
            if (caller is not null)
            {
                context.HttpContext.RequestServices.GetRequiredService<RequestAccess>().Caller = caller;
            }

            return context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EndpointAccess>() switch
            {
                AnonymousAccess => next(context),
                _ when caller is null => throw new InvalidOperationException("The API group's authorization policy lets only people and the admin token in."),
                OrganizationAccess organization when caller.OrganizationRole < organization.Role => Refuse(organization),
                AccountAccess account when caller.UserId is null => Refuse(account),
                WorkspaceAccess workspace => CheckWorkspaceAsync(context, caller, workspace, scopeIndex, next),
                _ => next(context),
            };
        };
    }

    private static ValueTask<object?> Refuse(EndpointAccess access) => ValueTask.FromResult<object?>(Forbidden(access));

    private static async ValueTask<object?> CheckWorkspaceAsync(
        EndpointFilterInvocationContext context, Caller caller, WorkspaceAccess access, int scopeIndex, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var db = http.RequestServices.GetRequiredService<CatSyphonDbContext>();
        var scope = scopeIndex >= 0 ? context.GetArgument<WorkspaceScope>(scopeIndex) : null;
        var routeId = Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var parsed) ? parsed : Guid.Empty;

        Guid workspaceId;
        Func<ProblemHttpResult> notFound;
        switch (access.Source)
        {
            case WorkspaceSource.Query when scope?.WorkspaceId is { } id:
                (workspaceId, notFound) = (id, () => ApiProblems.WorkspaceNotFound(id));
                break;
            case WorkspaceSource.Query:
                return ApiProblems.Validation(WorkspaceScope.QueryName, $"{WorkspaceScope.QueryName} is required.");
            case WorkspaceSource.WorkspaceRoute:
                (workspaceId, notFound) = (routeId, () => ApiProblems.WorkspaceNotFound(routeId));
                break;
            default:
                notFound = () => ApiProblems.CollectorNotFound(routeId);
                if (await db.Collectors.Where(c => c.Id == routeId && c.HiddenAt == null).Select(c => (Guid?)c.WorkspaceId)
                        .FirstOrDefaultAsync(http.RequestAborted) is not { } collectorWorkspace)
                {
                    return notFound();
                }

                workspaceId = collectorWorkspace;
                break;
        }

        var found = await WorkspaceRoles.FindAsync(db, caller, workspaceId, http.RequestAborted);
        if (found is not { } role)
        {
            return notFound();
        }

        if (role.Role < access.Role)
        {
            return Forbidden(access);
        }

        scope?.Resolve(workspaceId);
        var resolved = http.RequestServices.GetRequiredService<RequestAccess>();
        (resolved.Role, resolved.TranscriptVisibility) = (role.Role, role.Visibility);
        return await next(context);
    }

    private static ProblemHttpResult Forbidden(EndpointAccess access) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: access is AccountAccess
                ? "The admin token is not a person: sign in as yourself for this."
                : $"Your role does not allow this: it needs {access.Name} or higher.");
}

/// <summary>A caller's effective role in a workspace.</summary>
internal static class WorkspaceRoles
{
    public readonly record struct Found(WorkspaceRole Role, TranscriptVisibility Visibility);

    /// <summary>The caller's role in the workspace, or null when it does not exist or they have none there (the same answer).</summary>
    public static async Task<Found?> FindAsync(CatSyphonDbContext db, Caller caller, Guid workspaceId, CancellationToken cancellationToken)
    {
        var userId = caller.UserId ?? Guid.Empty;
        var row = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId)
            .Select(w => new
            {
                w.OrganizationId,
                w.TranscriptVisibility,
                Member = db.WorkspaceMembers.Where(m => m.WorkspaceId == w.Id && m.UserId == userId).Select(m => (WorkspaceRole?)m.Role).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        return Effective(caller, row.OrganizationId, row.Member) is { } effective ? new Found(effective, row.TranscriptVisibility) : null;
    }

    /// <summary>Admin for whoever administers the workspace's organization, otherwise the membership's role, if any.</summary>
    public static WorkspaceRole? Effective(Caller caller, Guid organizationId, WorkspaceRole? member) =>
        caller.AdministersOrganization(organizationId) ? WorkspaceRole.Admin : member;
}
