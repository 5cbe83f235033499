namespace CatSyphon.IntegrationTests;

/// <summary>One running stack shared by the tests of the <see cref="RunningStackCollection"/>.</summary>
public sealed class RunningStackFixture : IAsyncLifetime
{
    private CatSyphonApp? app;

    public CatSyphonApp App => app ?? throw new InvalidOperationException("The stack has not started.");

    public async Task InitializeAsync()
    {
        app = await CatSyphonApp.StartHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RunningStackCollection : ICollectionFixture<RunningStackFixture>
{
    public const string Name = "running stack";
}
