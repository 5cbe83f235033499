namespace CatSyphon.IntegrationTests;

/// <summary>One running stack shared by the tests of the <see cref="RunningStackCollection"/>.</summary>
public sealed class RunningStackFixture : StackFixture
{
    protected override Task<CatSyphonApp> StartAsync() => CatSyphonApp.StartHealthyAsync();
}

[CollectionDefinition(Name)]
public sealed class RunningStackCollection : ICollectionFixture<RunningStackFixture>
{
    public const string Name = "running stack";
}
