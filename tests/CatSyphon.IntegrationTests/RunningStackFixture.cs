namespace CatSyphon.IntegrationTests;

/// <summary>One running stack shared by the tests of the <see cref="RunningStackCollection"/>.</summary>
public sealed class RunningStackFixture : StackFixture
{
    // Retention is checked every second (not hourly), so a test that sets one sees its job soon; only workspaces with a
    // retention have anything to check. Sessions are looked for to tag every second too, so a pushed session's tags show soon.
    protected override Task<CatSyphonApp> StartAsync() =>
        CatSyphonApp.StartHealthyAsync(serviceSettings: new Dictionary<string, string>
        {
            ["DataLifecycle__RetentionInterval"] = "00:00:01",
            ["Insights__Interval"] = "00:00:01",
        });
}

[CollectionDefinition(Name)]
public sealed class RunningStackCollection : ICollectionFixture<RunningStackFixture>
{
    public const string Name = "running stack";
}
