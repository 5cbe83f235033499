namespace CatSyphon.IntegrationTests;

/// <summary>A measurement, not a check: runs only with CATSYPHON_MEASURE_REDIS=1 (minutes of load).</summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CATSYPHON_MEASURE_REDIS") != "1")
        {
            Skip = "A measurement of minutes: set CATSYPHON_MEASURE_REDIS=1 to run it (README, Redis memory budget).";
        }
    }
}

/// <summary>
/// The README's Redis memory budget, measured on a stack with the default settings: 10,000 sessions, one
/// session of 1,000,000 events, and buffered events while the worker is stopped, reading used_memory.
/// </summary>
public sealed class RedisMemoryBudgetMeasurement(ITestOutputHelper output)
{
    private const int ContentBytes = 400;
    private const int DefaultWindow = 20_000;

    [MeasurementFact]
    public async Task Redis_memory_stays_inside_the_budget_under_10000_sessions_and_one_session_of_a_million_events()
    {
        await using var app = await CatSyphonApp.StartHealthyAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync(ResourceNames.Redis) + ",allowAdmin=true");
        var server = redis.GetServers().Single();
        var collectors = new List<CollectorClient>();
        for (var i = 0; i < 4; i++)
        {
            collectors.Add(await CollectorClient.RegisterAsync(app, collectors.FirstOrDefault()?.WorkspaceId));
        }

        var idle = await UsedMemoryAsync(server);
        Report($"baseline used_memory {idle:N0} B, maxmemory {(await server.ConfigGetAsync("maxmemory")).Single().Value}");

        // 10,000 sessions of 10 events each, 16 at a time.
        var sessions = Enumerable.Range(0, 10_000).Select(i => $"many-{i:D5}").ToArray();
        var clock = Stopwatch.StartNew();
        var peak = await WithPeakAsync(server, () => Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (session, _) => await SendAsync(collectors[session.GetHashCode() & 3], session, 0, 10)));
        var accepted = await UsedMemoryAsync(server);
        foreach (var session in sessions)
        {
            await WaitPersistedAsync(collectors[0], session, 10);
        }

        var settled = await UsedMemoryAsync(server);
        Report($"10,000 sessions x 10 events in {clock.Elapsed.TotalSeconds:F0} s: peak {peak - idle:N0} B over baseline, " +
               $"after accept {accepted - idle:N0} B, after persist {settled - idle:N0} B = {(settled - idle) / 10_000.0:F0} B per session");
        await ReportKeysAsync(redis.GetDatabase(), collectors[0].WorkspaceId, sessions[0]);

        // One session of 1,000,000 events (small ones: the dedup window is what is measured) in 50-event
        // batches, one after the other as a collector sends them.
        var before = await UsedMemoryAsync(server);
        clock.Restart();
        const string big = "one-million";
        peak = await WithPeakAsync(server, async () =>
        {
            for (var from = 0; from < 1_000_000; from += 50)
            {
                await SendAsync(collectors[0], big, from, 50, contentBytes: 100);
            }
        });
        var bigAccepted = await UsedMemoryAsync(server);
        await WaitPersistedAsync(collectors[0], big, 1_000_000, TimeSpan.FromMinutes(20));
        var bigSettled = await UsedMemoryAsync(server);
        Report($"1 session x 1,000,000 events in {clock.Elapsed.TotalSeconds:F0} s: peak {peak - before:N0} B over its start, " +
               $"after accept {bigAccepted - before:N0} B, after persist {bigSettled - before:N0} B");
        var window = await ReportKeysAsync(redis.GetDatabase(), collectors[0].WorkspaceId, big);
        Assert.InRange(window, 1, DefaultWindow);

        // Buffered (unpersisted) events: 10,000 events of one new session while the worker is stopped.
        await app.Application.ResourceCommands.ExecuteCommandAsync(ResourceNames.Worker, KnownResourceCommands.StopCommand);
        const string buffered = "buffered";
        before = await UsedMemoryAsync(server);
        for (var from = 0; from < 10_000; from += 50)
        {
            await SendAsync(collectors[1], buffered, from, 50);
        }

        var held = await UsedMemoryAsync(server);
        await app.Application.ResourceCommands.ExecuteCommandAsync(ResourceNames.Worker, KnownResourceCommands.StartCommand);
        await WaitPersistedAsync(collectors[1], buffered, 10_000, TimeSpan.FromMinutes(5));
        var drained = await UsedMemoryAsync(server);
        Report($"10,000 buffered events of ~{ContentBytes} B content: {held - before:N0} B while buffered, {drained - before:N0} B once persisted: " +
               $"{(held - drained) / 10_000.0:F0} B per buffered event, {(drained - before) / 10_000.0:F0} B per dedup key");
        Assert.True(bigSettled - idle < 256L << 20, "The budget after the load stays far below the default maxmemory.");
    }

    private static async Task SendAsync(CollectorClient collector, string session, int from, int count, int contentBytes = ContentBytes)
    {
        var events = Enumerable.Range(from, count).Select(i => CollectorClient.Message(i, content: new string('x', contentBytes))).ToArray();
        while (true)
        {
            using var answer = await collector.SendAsync(session, events);
            if (answer.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            if (answer.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
            {
                throw new InvalidOperationException($"{session} at {from}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(answer.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    private static async Task WaitPersistedAsync(CollectorClient collector, string session, long sequence, TimeSpan? timeout = null)
    {
        var status = await collector.WaitForPersistedAsync(session, sequence, timeout ?? TimeSpan.FromMinutes(5));
        Assert.Equal(sequence, status.GetProperty("persisted_sequence").GetInt64());
    }

    /// <summary>Runs <paramref name="load"/> while sampling used_memory every 500 ms; returns the highest sample.</summary>
    private static async Task<long> WithPeakAsync(IServer server, Func<Task> load)
    {
        long peak = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, await UsedMemoryAsync(server));
                await Task.Delay(500);
            }
        });
        await load();
        await done.CancelAsync();
        await sampler;
        return Math.Max(peak, await UsedMemoryAsync(server));
    }

    private async Task<long> ReportKeysAsync(IDatabase database, Guid workspaceId, string session)
    {
        var state = IngestionRedisKeys.SessionState(workspaceId, session);
        var hashes = IngestionRedisKeys.SessionHashes(workspaceId, session);
        var order = IngestionRedisKeys.SessionHashOrder(workspaceId, session);
        var members = await database.SetLengthAsync(hashes);
        Report($"  {session}: state {await MemoryUsageAsync(database, state)} B, dedup set {members:N0} keys {await MemoryUsageAsync(database, hashes):N0} B, " +
               $"order list {await database.ListLengthAsync(order):N0} keys {await MemoryUsageAsync(database, order):N0} B");
        return members;
    }

    private static async Task<long> MemoryUsageAsync(IDatabase database, RedisKey key) =>
        (long)await database.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");

    private static async Task<long> UsedMemoryAsync(IServer server) =>
        long.Parse((await server.InfoAsync("memory")).SelectMany(group => group).Single(pair => pair.Key == "used_memory").Value);

    private void Report(string line)
    {
        output.WriteLine(line);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "catsyphon-redis-budget.txt"), $"{DateTime.UtcNow:O} {line}\n");
    }
}
