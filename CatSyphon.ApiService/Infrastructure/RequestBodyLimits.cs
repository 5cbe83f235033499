using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// Bodies are bounded per endpoint, and read only after authorization: a JSON body of the API is small, so the
/// server-wide limit is <see cref="DefaultMaxBytes"/>; collector events (<c>Ingest:MaxRequestBytes</c>) and uploads
/// (<c>Uploads:MaxRequestBytes</c>) raise it for their request once the caller is authorized, and the one
/// anonymous endpoint with a body (registration) lowers it.
/// </summary>
internal static class RequestBodyLimits
{
    public const long DefaultMaxBytes = 64 * 1024;

    public static void AddRequestBodyLimits(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = DefaultMaxBytes);

    /// <summary>Routing applies this endpoint's limit before anything reads the body; a larger body is a 413.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long maxBytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(maxBytes));

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
