using CatSyphon.ApiService.Feed;
using CatSyphon.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CatSyphon.ApiService.Apis.Feed;

/// <summary>
/// The collector as a NuGet v3 feed (<c>/nuget/v3/index.json</c>): the service index, the flat container (versions,
/// packages, manifests) and registrations, read-only and open to anyone, so
/// <c>dotnet tool install -g CatSyphon.Collector --add-source &lt;server&gt;/nuget/v3/index.json</c> installs the collector
/// this server offers and <c>catsyphon status</c> can tell when a newer one is offered.
/// </summary>
public static class CollectorFeedApi
{
    private const string FlatContainer = "/nuget/v3/flatcontainer";
    private const string Registrations = "/nuget/v3/registration";

    public static RouteGroupBuilder MapCollectorFeedApi(this IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup("/nuget/v3").AllowAnonymous().ExcludeFromDescription();
        feed.MapGet("/index.json", GetServiceIndex);
        feed.MapGet("/flatcontainer/{id}/index.json", GetVersions);
        feed.MapGet("/flatcontainer/{id}/{version}/{file}", GetPackageFile);
        feed.MapGet("/registration/{id}/index.json", GetRegistration);
        return feed;
    }

    public static JsonHttpResult<ServiceIndex> GetServiceIndex(HttpRequest request)
    {
        var root = Root(request);
        return TypedResults.Json(new ServiceIndex("3.0.0",
        [
            new($"{root}{FlatContainer}/", "PackageBaseAddress/3.0.0", "The collector's packages"),
            new($"{root}{Registrations}/", "RegistrationsBaseUrl/3.6.0", "The collector's versions"),
            new($"{root}{Registrations}/", "RegistrationsBaseUrl/Versioned", "The collector's versions"),
        ]), NuGetFeedJson.Default.ServiceIndex);
    }

    public static Results<JsonHttpResult<CollectorFeedVersions>, NotFound> GetVersions(string id, CollectorPackages packages) =>
        packages.Versions(id.ToLowerInvariant()) is { Count: > 0 } versions
            ? TypedResults.Json(new CollectorFeedVersions(versions.Select(package => package.LowerVersion).ToList()), ProtocolJsonContext.Default.CollectorFeedVersions)
            : TypedResults.NotFound();

    /// <summary><c>{id}.{version}.nupkg</c> or <c>{id}.nuspec</c>, as the flat container names them.</summary>
    public static Results<PhysicalFileHttpResult, FileContentHttpResult, NotFound> GetPackageFile(string id, string version, string file, CollectorPackages packages)
    {
        if (packages.Find(id.ToLowerInvariant(), version.ToLowerInvariant()) is not { } package)
        {
            return TypedResults.NotFound();
        }

        if (file.Equals(package.FileName, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.PhysicalFile(package.Path, "application/octet-stream", package.FileName);
        }

        return file.Equals($"{package.LowerId}.nuspec", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.Bytes(package.Nuspec, "application/xml")
            : TypedResults.NotFound();
    }

    public static Results<JsonHttpResult<RegistrationIndex>, NotFound> GetRegistration(string id, HttpRequest request, CollectorPackages packages)
    {
        var versions = packages.Versions(id.ToLowerInvariant());
        if (versions.Count == 0)
        {
            return TypedResults.NotFound();
        }

        var root = Root(request);
        var index = $"{root}{Registrations}/{versions[0].LowerId}/index.json";
        var leaves = versions.Select(package =>
        {
            var content = $"{root}{FlatContainer}/{package.LowerId}/{package.LowerVersion}/{package.FileName}";
            var leaf = $"{root}{Registrations}/{package.LowerId}/{package.LowerVersion}.json";
            var types = package.PackageTypes.Select(name => new PackageTypeName(name)).ToList();
            return new RegistrationLeaf(leaf, new CatalogEntry(leaf, package.Id, package.Version.ToNormalizedString(), true, content, types), content);
        }).ToList();
        var page = new RegistrationPage($"{index}#page/{versions[0].LowerVersion}/{versions[^1].LowerVersion}", leaves.Count,
            versions[0].LowerVersion, versions[^1].LowerVersion, leaves);
        return TypedResults.Json(new RegistrationIndex(1, [page]), NuGetFeedJson.Default.RegistrationIndex);
    }

    /// <summary>The address the client used (behind the HTTPS edge, the forwarded one), so every link it follows works.</summary>
    private static string Root(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
