using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// The OpenAPI document's server is the installation's public address when one is configured: behind a proxy or an
/// ingress, the address this process listens on is not one a client can reach. Without one, the document names the
/// address of the request that fetched it (as the proxy's forwarded headers describe it).
/// </summary>
internal sealed class PublicServerDocumentTransformer(IOptions<PublicUrlSettings> publicUrl) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (publicUrl.Value.BaseAddress is { } address)
        {
            document.Servers = [new OpenApiServer { Url = address }];
        }

        return Task.CompletedTask;
    }
}
