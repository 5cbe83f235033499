using CatSyphon.Protocol;
using Microsoft.Extensions.Options;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace CatSyphon.ApiService.Feed;

/// <summary>One package of the feed: its id as NuGet lower-cases it in addresses, its version, file and manifest.</summary>
public sealed record FeedPackage(string Id, string LowerId, NuGetVersion Version, IReadOnlyList<string> PackageTypes, string Path, byte[] Nuspec)
{
    /// <summary>The normalized, lower-cased version NuGet's flat container uses in addresses.</summary>
    public string LowerVersion => Version.ToNormalizedString().ToLowerInvariant();

    public string FileName => $"{LowerId}.{LowerVersion}.nupkg";
}

/// <summary>
/// The collector packages the server offers, from the <c>.nupkg</c> files of <see cref="CollectorFeedOptions.PackagesPath"/>.
/// The folder is listed on each request and read again only when its files changed, so a new collector dropped in
/// (an upgrade, a hot fix) is offered without a restart. A file that is not a readable package is logged and left
/// out: a bad file never fails a request or the start.
/// </summary>
public sealed class CollectorPackages(IOptions<CollectorFeedOptions> options, ILogger<CollectorPackages> logger)
{
    private readonly string folder = options.Value.FullPackagesPath;
    private Snapshot current = new("", []);

    /// <summary>Every version of a package by its lower-cased id, oldest first.</summary>
    public IReadOnlyList<FeedPackage> Versions(string lowerId) =>
        Read().Where(package => package.LowerId == lowerId).OrderBy(package => package.Version).ToList();

    public FeedPackage? Find(string lowerId, string lowerVersion) =>
        Read().FirstOrDefault(package => package.LowerId == lowerId && package.LowerVersion == lowerVersion);

    private IReadOnlyList<FeedPackage> Read()
    {
        var files = Directory.Exists(folder) ? new DirectoryInfo(folder).GetFiles("*.nupkg") : [];
        var stamp = string.Join('|', files.OrderBy(file => file.Name, StringComparer.Ordinal).Select(file => $"{file.Name}:{file.Length}:{file.LastWriteTimeUtc.Ticks}"));
        var seen = current;
        if (seen.Stamp == stamp)
        {
            return seen.Packages;
        }

        var packages = files.Select(file => ReadPackage(file.FullName)).OfType<FeedPackage>().ToList();
        current = new Snapshot(stamp, packages);
        var offered = packages.Where(package => package.Id == CollectorFeed.ToolPackageId).MaxBy(package => package.Version);
        logger.LogInformation("Collector feed: {Count} packages in {Folder}; the collector offered is {Version}",
            packages.Count, folder, offered?.Version.ToNormalizedString() ?? "none");
        return packages;
    }

    private FeedPackage? ReadPackage(string file)
    {
        try
        {
            using var reader = new PackageArchiveReader(file);
            var identity = reader.GetIdentity();
            using var nuspec = new MemoryStream();
            reader.GetNuspec().CopyTo(nuspec);
            var types = reader.GetPackageTypes().Select(type => type.Name).ToList();
            return new FeedPackage(identity.Id, identity.Id.ToLowerInvariant(), identity.Version, types, file, nuspec.ToArray());
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException
                                              or PackagingException or InvalidOperationException or ArgumentException)
        {
            logger.LogWarning("Collector feed: {File} is left out, it is not a readable package: {Reason}", file, exception.Message);
            return null;
        }
    }

    /// <summary>The packages as read, and the folder listing (names, sizes, times) they were read from.</summary>
    private sealed record Snapshot(string Stamp, IReadOnlyList<FeedPackage> Packages);
}
