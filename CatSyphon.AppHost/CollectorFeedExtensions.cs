namespace CatSyphon.AppHost;

internal static class CollectorFeedExtensions
{
    /// <summary>The app host's setting for where the API's collector feed finds its packages (<c>CollectorFeed:PackagesPath</c>).</summary>
    public const string PackagesPathKey = "CollectorFeed:PackagesPath";

    /// <summary>
    /// Where the API finds the collector packages it offers as a NuGet feed. A published API carries its own (packed at
    /// publish, see the API's project file); in a run they are the repository's <c>artifacts/collector-packages</c>,
    /// which <c>scripts/pack-collector.sh</c> fills, unless <see cref="PackagesPathKey"/> names another folder.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCollectorFeed(this IResourceBuilder<ProjectResource> api, IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return api;
        }

        var folder = builder.Configuration[PackagesPathKey] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.AppHostDirectory, "..", "artifacts", "collector-packages");
        return api.WithEnvironment(PackagesPathKey.Replace(":", "__", StringComparison.Ordinal), Path.GetFullPath(folder));
    }
}
