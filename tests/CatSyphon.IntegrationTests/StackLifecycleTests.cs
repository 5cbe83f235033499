namespace CatSyphon.IntegrationTests;

/// <summary>Tests that stop parts of the stack, each on a stack of its own.</summary>
public sealed class StackLifecycleTests
{
    private static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Readiness_answers_503_while_redis_is_down_and_200_once_it_is_back()
    {
        await using var app = await CatSyphonApp.StartHealthyAsync();
        using var api = app.CreateHttpClient(ResourceNames.Api);

        await app.ExecuteCommandAsync(ResourceNames.Redis, KnownResourceCommands.StopCommand);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await WaitForReadinessAsync(api, HttpStatusCode.ServiceUnavailable));
        using (var liveness = await api.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        }

        await app.ExecuteCommandAsync(ResourceNames.Redis, KnownResourceCommands.StartCommand);
        Assert.Equal(HttpStatusCode.OK, await WaitForReadinessAsync(api, HttpStatusCode.OK));
    }

    [Fact]
    public async Task Stopping_the_app_host_leaves_no_postgres_or_redis_process_behind()
    {
        var app = await CatSyphonApp.StartHealthyAsync();
        var running = app.ServerProcesses();

        await app.DisposeAsync();

        // PostgreSQL's server and its children, and Redis.
        Assert.True(running.Count >= 3, $"expected the servers to be running, found {running.Count} processes");
        Assert.Empty(app.ServerProcesses());
        Assert.False(Directory.Exists(app.DataDirectory));
    }

    private static async Task<HttpStatusCode> WaitForReadinessAsync(HttpClient api, HttpStatusCode wanted)
    {
        var elapsed = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await api.GetAsync("/ready");
            status = response.StatusCode;
            if (status == wanted)
            {
                break;
            }

            await Task.Delay(250);
        }
        while (elapsed.Elapsed < ChangeTimeout);

        return status;
    }
}
