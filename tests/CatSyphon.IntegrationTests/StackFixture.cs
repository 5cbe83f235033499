namespace CatSyphon.IntegrationTests;

/// <summary>
/// A stack started once for a test class or collection and disposed after it. Subclasses say how it starts
/// (<see cref="StartAsync"/>) and what the tests need on it (<see cref="PrepareAsync"/>); disposing releases that
/// (<see cref="ReleaseAsync"/>), then the stack.
/// </summary>
public abstract class StackFixture : IAsyncLifetime
{
    private CatSyphonApp? app;

    public CatSyphonApp App => app ?? throw new InvalidOperationException("The stack has not started.");

    public async Task InitializeAsync()
    {
        app = await StartAsync();
        await PrepareAsync(app);
    }

    public async Task DisposeAsync()
    {
        await ReleaseAsync();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    protected abstract Task<CatSyphonApp> StartAsync();

    /// <summary>People, connections and the like the tests use; nothing by default.</summary>
    protected virtual Task PrepareAsync(CatSyphonApp started) => Task.CompletedTask;

    /// <summary>Releases what <see cref="PrepareAsync"/> made; nothing by default.</summary>
    protected virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;
}
