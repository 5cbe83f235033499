using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>Declares the bearer token (a person's token, the admin token or a collector key) in the OpenAPI document, so the API reference can send it.</summary>
internal sealed class BearerSecurityDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeName = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "For /api: an access token from POST /api/auth/login (cs_at_...), a personal access token (cs_pat_...) or the admin token; for /collectors: a collector key (cs_live_...).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
