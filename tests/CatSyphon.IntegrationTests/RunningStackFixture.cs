namespace CatSyphon.IntegrationTests;

/// <summary>One running stack shared by the tests of the <see cref="RunningStackCollection"/>.</summary>
public sealed class RunningStackFixture : StackFixture
{
    /// <summary>The folder the API's collector feed offers packages from: empty at start, filled by the tests that need it.</summary>
    public DirectoryInfo FeedFolder { get; } = Directory.CreateTempSubdirectory("catsyphon-feed-");

    // Retention is checked every second (not hourly), so a test that sets one sees its job soon; only workspaces with a
    // retention have anything to check. Sessions are looked for to tag every second too, so a pushed session's tags show soon.
    protected override Task<CatSyphonApp> StartAsync() =>
        CatSyphonApp.StartHealthyAsync(
            appHostSettings: new Dictionary<string, string> { ["CollectorFeed:PackagesPath"] = FeedFolder.FullName },
            serviceSettings: new Dictionary<string, string>
            {
                ["DataLifecycle__RetentionInterval"] = "00:00:01",
                ["Insights__Interval"] = "00:00:01",
            });

    protected override ValueTask ReleaseAsync()
    {
        FeedFolder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class RunningStackCollection : ICollectionFixture<RunningStackFixture>
{
    public const string Name = "running stack";
}
