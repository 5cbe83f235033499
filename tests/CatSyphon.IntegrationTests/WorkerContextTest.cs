namespace CatSyphon.IntegrationTests;

/// <summary>
/// A test class of the running stack whose every test gets a fresh <see cref="WorkerTestContext"/>: its own
/// workspace and collector, and direct PostgreSQL and Redis clients.
/// </summary>
public abstract class WorkerContextTest(RunningStackFixture stack) : IAsyncLifetime
{
    private WorkerTestContext? context;

    protected CatSyphonApp App => stack.App;

    protected WorkerTestContext Ctx => context ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync() => context = await WorkerTestContext.CreateAsync(stack.App);

    public async Task DisposeAsync()
    {
        if (context is not null)
        {
            await context.DisposeAsync();
        }
    }
}
