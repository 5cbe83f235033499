using NuGet.Versioning;

namespace CatSyphon.Protocol;

/// <summary>
/// The server offers the collector as a NuGet v3 feed; these are the addresses the collector and the set-up page use. The
/// feed follows NuGet's protocol: ids and versions in addresses are lower-cased.
/// </summary>
public static class CollectorFeed
{
    /// <summary>The collector tool's package, the one people install.</summary>
    public const string ToolPackageId = "CatSyphon.Collector";

    /// <summary>The service index, what <c>--add-source</c> names.</summary>
    public const string IndexPath = "/nuget/v3/index.json";

    /// <summary>The flat container's list of a package's versions.</summary>
    public static string VersionsPath(string packageId) => $"/nuget/v3/flatcontainer/{packageId.ToLowerInvariant()}/index.json";

    /// <summary>The one line that installs the collector from <paramref name="serverUrl"/> (two over plain http, see <see cref="ToolCommand"/>).</summary>
    public static string InstallCommand(string serverUrl) => ToolCommand("install", serverUrl);

    /// <summary>
    /// The newest of <paramref name="offered"/> when it is newer than <paramref name="current"/> (NuGet's version order:
    /// 0.10.0 after 0.9.0, a release after its previews); null when nothing newer is offered. Versions NuGet cannot read
    /// are ignored.
    /// </summary>
    public static string? NewerThan(string current, IEnumerable<string> offered)
    {
        var newest = offered.Select(version => NuGetVersion.TryParse(version, out var parsed) ? parsed : null).OfType<NuGetVersion>().Max();
        return newest is not null && (!NuGetVersion.TryParse(current, out var installed) || newest > installed) ? newest.ToNormalizedString() : null;
    }

    /// <summary>The line that brings an installed collector up to the version <paramref name="serverUrl"/> offers.</summary>
    public static string UpdateCommand(string serverUrl) => ToolCommand("update", serverUrl);

    /// <summary>
    /// <c>dotnet tool install|update</c> from the server's feed. NuGet takes only https sources on the command line; a
    /// server on plain http (a developer's own run) is named in a NuGet.Config that allows it, written first.
    /// </summary>
    private static string ToolCommand(string verb, string serverUrl)
    {
        var index = serverUrl.TrimEnd('/') + IndexPath;
        return index.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            ? $"""
              printf '<configuration><packageSources><add key="catsyphon" value="{index}" allowInsecureConnections="true" /></packageSources></configuration>' > catsyphon-nuget.config
              dotnet tool {verb} --global {ToolPackageId} --configfile catsyphon-nuget.config
              """
            : $"dotnet tool {verb} --global {ToolPackageId} --add-source {index}";
    }
}

/// <summary>A package's versions in the feed's flat container (NuGet's <c>{"versions":[...]}</c>), oldest first.</summary>
public sealed record CollectorFeedVersions(IReadOnlyList<string> Versions);
