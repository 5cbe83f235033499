using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CatSyphon.ApiService.Authentication;

/// <summary>Every endpoint of the API declares its <see cref="EndpointAccess"/>: checked when the host starts and published in the OpenAPI document.</summary>
internal static class EndpointAccessDeclarations
{
    /// <summary>Stops the start when an endpoint of <c>/api</c> or <c>/collectors</c> declares no access, or one its parameters contradict.</summary>
    public static void RequireAccessDeclarations(this IEndpointRouteBuilder app)
    {
        var mistakes = app.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText is { } route
                               && (route.StartsWith("/api/", StringComparison.Ordinal) || route.StartsWith("/collectors", StringComparison.Ordinal)))
            .Select(endpoint => Mistake(endpoint) is { } mistake ? $"{endpoint.DisplayName}: {mistake}" : null)
            .OfType<string>()
            .ToList();
        if (mistakes.Count > 0)
        {
            throw new InvalidOperationException($"Endpoints with a missing or wrong access declaration: {string.Join("; ", mistakes)}");
        }
    }

    private static string? Mistake(RouteEndpoint endpoint)
    {
        var access = endpoint.Metadata.GetMetadata<EndpointAccess>();
        var scoped = endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters().Any(p => p.ParameterType == typeof(WorkspaceScope)) == true;
        return access is null ? "it declares no access (RequireWorkspaceRole, RequireOrganizationRole, AllowAnyPerson, AllowAnyone...)"
            : scoped && access is not WorkspaceAccess { Source: WorkspaceSource.Query } ? "it takes a WorkspaceScope, so it needs RequireWorkspaceRole(role)"
            : null;
    }

    /// <summary>Writes each operation's access as <c>x-access</c>.</summary>
    public static OpenApiOptions AddAccessExtension(this OpenApiOptions options) =>
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<EndpointAccess>().LastOrDefault() is { } access)
            {
                operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                operation.Extensions[EndpointAccess.OpenApiExtension] = new JsonNodeExtension(JsonValue.Create(access.Name));
            }

            return Task.CompletedTask;
        });
}
