namespace CatSyphon.IntegrationTests;

/// <summary>
/// Faults during ingestion, each on a stack of its own: whatever was answered 202 survives a dying
/// worker, a Redis restart and a PostgreSQL outage, and is stored exactly once.
/// </summary>
public sealed class IngestionFaultTests
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Killing_the_worker_mid_batch_loses_and_duplicates_nothing()
    {
        await using var app = await CatSyphonApp.StartHealthyAsync();
        using var collector = await CollectorClient.RegisterAsync(app);
        var sessions = Enumerable.Range(0, 8).Select(i => $"kill-{i}-{Guid.NewGuid():N}").ToArray();
        const int perSession = 5_000;

        var sending = Task.WhenAll(sessions.Select(async session =>
        {
            for (var from = 1; from <= perSession; from += 50)
            {
                await collector.SendAcceptedAsync(session, CollectorClient.Messages(from, 50, sequenced: true));
            }
        }));

        // Kill it hard while it is persisting and batches keep arriving, then start it again.
        await WaitUntilAsync(async () => (await IngestionProgress.PersistedAsync(collector, sessions)) > 0);
        ResourceProcesses.Kill(app, ResourceNames.Worker);
        var persistedAtKill = await IngestionProgress.PersistedAsync(collector, sessions);
        await app.Application.ResourceNotifications.WaitForResourceAsync(ResourceNames.Worker, KnownResourceStates.TerminalStates);
        await app.ExecuteCommandAsync(ResourceNames.Worker, KnownResourceCommands.StartCommand);
        await sending;

        Assert.True(persistedAtKill < sessions.Length * perSession, "the worker finished before it was killed");
        await WaitUntilAsync(async () => (await IngestionProgress.PersistedAsync(collector, sessions)) == sessions.Length * perSession);
        Assert.Equal(sessions.Length * perSession, await IngestionProgress.StoredMessagesAsync(app, collector.WorkspaceId));
    }

    [Fact]
    public async Task Accepted_events_survive_a_redis_restart_and_redis_down_is_503()
    {
        await using var app = await CatSyphonApp.StartHealthyAsync();
        using var collector = await CollectorClient.RegisterAsync(app);
        var session = $"aof-{Guid.NewGuid():N}";

        // With the worker stopped, accepted events exist only in Redis.
        await app.ExecuteCommandAsync(ResourceNames.Worker, KnownResourceCommands.StopCommand);
        for (var from = 1; from <= 500; from += 50)
        {
            await collector.SendAcceptedAsync(session, CollectorClient.Messages(from, 50, sequenced: true));
        }

        await app.ExecuteCommandAsync(ResourceNames.Redis, KnownResourceCommands.StopCommand);
        using (var refused = await collector.SendAsync(session, CollectorClient.Messages(501, 10, sequenced: true)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        await app.ExecuteCommandAsync(ResourceNames.Redis, KnownResourceCommands.StartCommand);
        await app.WaitForHealthyAsync(ResourceNames.Redis);
        await app.ExecuteCommandAsync(ResourceNames.Worker, KnownResourceCommands.StartCommand);

        await WaitUntilAsync(async () => (await IngestionProgress.PersistedAsync(collector, [session])) == 500);
        var status = await collector.SessionAsync(session);
        Assert.Equal(500, status.GetProperty("last_sequence").GetInt64());
        Assert.Equal(500, await IngestionProgress.StoredMessagesAsync(app, collector.WorkspaceId));
    }

    [Fact]
    public async Task While_postgres_is_down_known_collectors_are_accepted_and_the_worker_catches_up()
    {
        // Keys are checked again every second: the outage outlasts the cached answers many times over.
        await using var app = await CatSyphonApp.StartHealthyAsync(new Dictionary<string, string> { ["Collectors__KeyCacheLifetime"] = "00:00:01" });
        using var collector = await CollectorClient.RegisterAsync(app);
        var session = $"pg-down-{Guid.NewGuid():N}";
        await collector.SendAcceptedAsync(session, CollectorClient.Messages(1, 50, sequenced: true));
        await WaitUntilAsync(async () => (await IngestionProgress.PersistedAsync(collector, [session])) == 50);

        await app.ExecuteCommandAsync(ResourceNames.Postgres, KnownResourceCommands.StopCommand);
        var outage = Stopwatch.StartNew();
        var sequence = 51;
        while (outage.Elapsed < TimeSpan.FromSeconds(30))
        {
            await collector.SendAcceptedAsync(session, CollectorClient.Messages(sequence, 50, sequenced: true));
            sequence += 50;
            await Task.Delay(500);
        }

        var sent = sequence - 1;
        Assert.Equal(sent, (await collector.SessionAsync(session)).GetProperty("last_sequence").GetInt64());
        await app.ExecuteCommandAsync(ResourceNames.Postgres, KnownResourceCommands.StartCommand);

        await WaitUntilAsync(async () => (await IngestionProgress.PersistedAsync(collector, [session])) == sent);
        Assert.Equal(sent, await IngestionProgress.StoredMessagesAsync(app, collector.WorkspaceId));
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Poll.UntilAsync(condition, CatchUpTimeout, "the stack to catch up");
}
