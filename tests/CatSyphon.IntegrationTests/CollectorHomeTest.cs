namespace CatSyphon.IntegrationTests;

/// <summary>
/// A test that sends logs to the running stack with the <c>catsyphon</c> command line, as a developer would: from a
/// collector home of its own (deleted afterwards), registered with the admin token in a new workspace.
/// </summary>
public abstract class CollectorHomeTest(RunningStackFixture stack, string homePrefix) : IDisposable
{
    protected RunningStackFixture Stack => stack;

    protected CatSyphonApp App => stack.App;

    protected DirectoryInfo Home { get; } = Directory.CreateTempSubdirectory(homePrefix);

    public void Dispose()
    {
        Home.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    protected Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args) => CollectorCli.RunAsync(Home.FullName, args);

    /// <summary>Creates a workspace and registers this home's collector in it; returns the workspace.</summary>
    protected async Task<Guid> RegisterInNewWorkspaceAsync()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        Assert.Equal(0, (await RunAsync("register", "--server", App.BaseUrl(ResourceNames.Api), "--workspace", workspace.ToString(), "--token", App.AdminToken)).Exit);
        return workspace;
    }
}
