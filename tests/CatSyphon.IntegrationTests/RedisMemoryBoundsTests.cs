namespace CatSyphon.IntegrationTests;

/// <summary>A stack whose sessions keep a small dedup window in Redis, so tests can pass it quickly.</summary>
public sealed class RedisMemoryBoundsFixture : StackFixture
{
    public const int DedupWindow = 100;

    public ConnectionMultiplexer Redis { get; private set; } = null!;

    protected override Task<CatSyphonApp> StartAsync() =>
        CatSyphonApp.StartHealthyAsync(new Dictionary<string, string> { ["Ingest__DedupWindow"] = DedupWindow.ToString() });

    protected override async Task PrepareAsync(CatSyphonApp started) =>
        Redis = await ConnectionMultiplexer.ConnectAsync(await started.GetConnectionStringAsync(ResourceNames.Redis) + ",allowAdmin=true");

    protected override async ValueTask ReleaseAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}

/// <summary>Redis memory is bounded whatever collectors send: a dedup window per session, maxmemory, and 503 before Redis is full.</summary>
public sealed class RedisMemoryBoundsTests(RedisMemoryBoundsFixture stack) : IClassFixture<RedisMemoryBoundsFixture>
{
    private const int Window = RedisMemoryBoundsFixture.DedupWindow;

    private IDatabase Redis => stack.Redis.GetDatabase();

    /// <summary>Sends three dedup windows' worth of events to <paramref name="session"/>, 50 a batch, each accepted.</summary>
    private static async Task SendThreeWindowsAsync(CollectorClient collector, string session)
    {
        for (var from = 0; from < 3 * Window; from += 50)
        {
            await collector.SendAcceptedAsync(session, CollectorClient.Messages(from, 50));
        }
    }

    /// <summary>A new session of <paramref name="collector"/> sent three dedup windows' worth of events, all of them stored.</summary>
    private static async Task<string> StoredSessionPastItsWindowAsync(CollectorClient collector, string name)
    {
        var session = $"{name}-{Guid.NewGuid():N}";
        await SendThreeWindowsAsync(collector, session);
        await collector.WaitForPersistedAsync(session, 3 * Window);
        return session;
    }

    [Fact]
    public async Task A_session_past_its_dedup_window_keeps_only_the_window_in_redis_and_old_resends_stay_duplicates()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = $"window-{Guid.NewGuid():N}";
        await SendThreeWindowsAsync(collector, session);

        await AssertWindowHeldAsync(collector, session);
        await collector.WaitForPersistedAsync(session, 3 * Window);

        // The first events left the window long ago: PostgreSQL still knows them.
        var old = await collector.SendAcceptedAsync(session, CollectorClient.Messages(0, 50));
        var mixed = await collector.SendAcceptedAsync(session, CollectorClient.Messages(25, 40).Concat(CollectorClient.Messages(3 * Window, 10)));

        Assert.Equal((0, 50), CollectorClient.Counts(old));
        Assert.Equal(3 * Window, old.GetProperty("last_sequence").GetInt64());
        Assert.Equal((10, 40), CollectorClient.Counts(mixed));
        Assert.Equal(3 * Window + 10, mixed.GetProperty("last_sequence").GetInt64());
        await AssertWindowHeldAsync(collector, session);
        var status = await collector.WaitForPersistedAsync(session, 3 * Window + 10);
        Assert.Equal(3 * Window + 10, status.GetProperty("event_count").GetInt64());
        Assert.Equal(3 * Window + 10, await StoredEventsAsync(collector, session));
    }

    [Fact]
    public async Task A_session_seeded_again_from_postgresql_loads_at_most_the_window_and_still_finds_old_duplicates()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = await StoredSessionPastItsWindowAsync(collector, "seed");

        // What an idle session's expiry does: PostgreSQL alone remembers it.
        await Redis.KeyDeleteAsync(
        [
            IngestionRedisKeys.SessionState(collector.WorkspaceId, session), IngestionRedisKeys.SessionHashes(collector.WorkspaceId, session),
            IngestionRedisKeys.SessionHashOrder(collector.WorkspaceId, session),
        ]);

        var resend = await collector.SendAcceptedAsync(session, CollectorClient.Messages(0, 20).Concat(CollectorClient.Messages(3 * Window - 20, 20)));

        Assert.Equal((0, 40), CollectorClient.Counts(resend));
        await AssertWindowHeldAsync(collector, session);
        Assert.Equal(3 * Window, await StoredEventsAsync(collector, session));
    }

    [Fact]
    public async Task With_postgresql_down_a_session_past_its_window_is_still_accepted_and_stores_each_event_once()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = await StoredSessionPastItsWindowAsync(collector, "pg-down");

        await stack.App.ExecuteCommandAsync(ResourceNames.Postgres, KnownResourceCommands.StopCommand);
        JsonElement answer;
        try
        {
            // The dedup lookup cannot be answered: accepted rather than refused (the contract keeps ingestion up).
            answer = await collector.SendAcceptedAsync(session, CollectorClient.Messages(0, 10).Concat(CollectorClient.Messages(3 * Window, 10)));
        }
        finally
        {
            await stack.App.ExecuteCommandAsync(ResourceNames.Postgres, KnownResourceCommands.StartCommand);
            await stack.App.WaitForHealthyAsync(ResourceNames.Database);
        }

        Assert.Equal((20, 0), CollectorClient.Counts(answer));
        // Storage stays exact: the resent events are not stored a second time.
        await Poll.UntilAsync(async () => await StoredEventsOrNothingAsync(collector, session) == 3 * Window + 10, TimeSpan.FromSeconds(120), "the worker to catch up");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(3 * Window + 10, await StoredEventsAsync(collector, session));
    }

    [Fact]
    public async Task Redis_runs_with_a_memory_bound_that_never_evicts()
    {
        var server = stack.Redis.GetServers().Single();

        var settings = (await server.ConfigGetAsync("maxmemory*")).ToDictionary(pair => pair.Key, pair => pair.Value);

        Assert.Equal("noeviction", settings["maxmemory-policy"]);
        Assert.Equal((1L << 30).ToString(), settings["maxmemory"]);
    }

    [Fact]
    public async Task Near_maxmemory_the_api_answers_503_with_retry_after_before_redis_refuses_and_an_oom_is_503_too()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var known = $"known-{Guid.NewGuid():N}";
        await collector.SendAcceptedAsync(known, CollectorClient.Messages(0, 1));
        var server = stack.Redis.GetServers().Single();
        var maxMemory = (await server.ConfigGetAsync("maxmemory")).Single().Value;
        try
        {
            // Above the API's 90% but below Redis's own bound: the API refuses, Redis would still accept.
            var used = long.Parse((await server.InfoAsync("memory")).SelectMany(group => group).Single(pair => pair.Key == "used_memory").Value);
            await server.ConfigSetAsync("maxmemory", (long)(used / 0.93));
            var refused = await RefusedSessionAsync(collector);
            Assert.Contains("nearly full", refused.Detail);
            Assert.Equal(HttpStatusCode.NotFound, (await collector.Http.GetAsync($"/collectors/sessions/{refused.Session}")).StatusCode);

            // Redis itself refusing a write (OOM) is 503 as well, never 500.
            await server.ConfigSetAsync("maxmemory", 1);
            using var completed = await collector.Http.PostAsJsonAsync($"/collectors/sessions/{known}/complete", new { outcome = "success" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, completed.StatusCode);
            Assert.NotNull(completed.Headers.RetryAfter);
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", maxMemory);
        }

        await Task.Delay(300);
        await collector.SendAcceptedAsync($"after-{Guid.NewGuid():N}", CollectorClient.Messages(0, 1));
    }

    /// <summary>Sends one-event batches to new sessions until one is refused (the memory reading is a few hundred ms old at most).</summary>
    private static async Task<(string Session, string Detail)> RefusedSessionAsync(CollectorClient collector)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var session = $"full-{Guid.NewGuid():N}";
            using var answer = await collector.SendAsync(session, CollectorClient.Messages(0, 1));
            if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.NotNull(answer.Headers.RetryAfter);
                Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
                return (session, (await CollectorClient.ReadJsonAsync(answer)).GetProperty("detail").GetString()!);
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("No batch was refused although Redis was above the memory threshold.");
    }

    private async Task AssertWindowHeldAsync(CollectorClient collector, string session)
    {
        Assert.InRange(await Redis.SetLengthAsync(IngestionRedisKeys.SessionHashes(collector.WorkspaceId, session)), 1, Window);
        Assert.InRange(await Redis.ListLengthAsync(IngestionRedisKeys.SessionHashOrder(collector.WorkspaceId, session)), 1, Window);
    }

    /// <summary>PostgreSQL may still be starting after its restart (its health is checked only every few seconds).</summary>
    private async Task<long> StoredEventsOrNothingAsync(CollectorClient collector, string session)
    {
        try
        {
            return await StoredEventsAsync(collector, session);
        }
        catch (NpgsqlException)
        {
            return -1;
        }
    }

    private async Task<long> StoredEventsAsync(CollectorClient collector, string session)
    {
        await using var connection = new NpgsqlConnection(await stack.App.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.workspace_id = $1 AND c.session_id = $2", connection)
        {
            Parameters = { new() { Value = collector.WorkspaceId }, new() { Value = session } },
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
