namespace CatSyphon.ApiService.Feed;

/// <summary>Where the collector packages the server offers as a NuGet feed are (configuration section <c>CollectorFeed</c>).</summary>
public sealed class CollectorFeedOptions
{
    public const string SectionName = "CollectorFeed";

    /// <summary>
    /// The folder of <c>.nupkg</c> files: relative to the API's own folder unless rooted. The API's publish step packs the
    /// collector there (<c>collector-packages</c>); a folder that is missing or empty makes an empty feed, never a failed start.
    /// </summary>
    public string PackagesPath { get; set; } = "collector-packages";

    public string FullPackagesPath => Path.GetFullPath(PackagesPath, AppContext.BaseDirectory);
}
