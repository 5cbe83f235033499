namespace CatSyphon.ApiService.Infrastructure;

internal static class ApiRouteGroups
{
    /// <summary>
    /// A route group of the management and query API (<c>/api/...</c>): one OpenAPI tag, the admin only, and workspace
    /// scoping for its endpoints that take a <see cref="WorkspaceScope"/>.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix)
            .WithTags(tag)
            .RequireAuthorization(Policies.Admin)
            .RequireWorkspaceScope();
}
