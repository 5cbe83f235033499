namespace CatSyphon.ApiService.Infrastructure;

internal static class ApiRouteGroups
{
    /// <summary>
    /// A route group of the management and query API (<c>/api/...</c>): one OpenAPI tag, people and the admin token only,
    /// and each endpoint's declared <see cref="EndpointAccess"/> enforced by the <see cref="EndpointAccessFilter"/>.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix)
            .WithTags(tag)
            .RequireAuthorization(Policies.Person)
            .RequireDeclaredAccess();
}
