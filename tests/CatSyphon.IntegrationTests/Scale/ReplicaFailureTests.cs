namespace CatSyphon.IntegrationTests.Scale;

/// <summary>
/// Two API and two worker replicas (<c>Scale:ApiReplicas=2</c>, <c>Scale:WorkerReplicas=2</c>), one of each killed under
/// load: the survivors carry on, and PostgreSQL ends with every event sent, once, in sequence.
/// </summary>
public sealed class ReplicaFailureTests(ITestOutputHelper output)
{
    private const int Replicas = 2;
    private const int Sessions = 8;
    private const int EventsPerSession = 3_000;
    private const int FirstPart = EventsPerSession / 4;
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Killing_an_api_and_a_worker_replica_under_load_loses_and_duplicates_nothing()
    {
        var elapsed = Stopwatch.StartNew();
        await using var app = await CatSyphonApp.StartHealthyAsync(
            appHostSettings: new Dictionary<string, string>
            {
                ["Scale:ApiReplicas"] = Replicas.ToString(),
                ["Scale:WorkerReplicas"] = Replicas.ToString(),
            },
            // The survivor takes over the dead worker's streams once its leases run out: 5 s rather than 15 keeps the test short.
            serviceSettings: new Dictionary<string, string> { ["Ingestion__LeaseDuration"] = "00:00:05" });
        output.WriteLine($"stack healthy after {elapsed.Elapsed.TotalSeconds:F0} s");
        var apis = await ReplicaEndpoints.HealthyAsync(app, ResourceNames.Api, Replicas);
        var workers = await ReplicaEndpoints.HealthyAsync(app, ResourceNames.Worker, Replicas);
        using var collector = await CollectorClient.RegisterAsync(app);
        // Progress is read where the survivor listens: the proxy in front of both would still send some requests to the dead one.
        using var survivor = collector.At(apis[1].Address);
        using var sender = new FailoverCollector(collector, apis.Select(api => api.Address));
        var sessions = Enumerable.Range(0, Sessions).Select(i => $"replica-kill-{i}-{Guid.NewGuid():N}").ToArray();

        // A quarter of every session first, half of them on each API replica, until the workers persist: both are warm and busy.
        var replicaOfSession = await Task.WhenAll(sessions.Select((session, i) => sender.SendAsync(session, 1, FirstPart, i % Replicas)));
        await Poll.UntilAsync(async () => await IngestionProgress.PersistedAsync(survivor, sessions) > 0, CatchUpTimeout, "the first events to be persisted");

        // The rest, dozens of batches per session: the kill comes once each session has had about one of them accepted.
        var acceptedBefore = sender.BatchesAccepted;
        var sending = Task.WhenAll(sessions.Select((session, i) => sender.SendAsync(session, FirstPart + 1, EventsPerSession, replicaOfSession[i])));
        await Poll.UntilAsync(() => Task.FromResult(sender.BatchesAccepted >= acceptedBefore + Sessions), CatchUpTimeout, "the rest to be under way");
        ResourceProcesses.Kill(apis[0].ProcessId);
        ResourceProcesses.Kill(workers[0].ProcessId);
        var persistedAtKill = await IngestionProgress.PersistedAsync(survivor, sessions);
        await AssertRefusesConnectionsAsync(apis[0].Address);

        output.WriteLine($"killed after {elapsed.Elapsed.TotalSeconds:F0} s");
        await sending.WaitAsync(CatchUpTimeout);
        output.WriteLine($"everything sent after {elapsed.Elapsed.TotalSeconds:F0} s");
        const int total = Sessions * EventsPerSession;
        Assert.InRange(persistedAtKill, 1, total - 1);
        // The sessions on the killed replica had batches left, so some met it dead (or mid-request) and went to the survivor.
        Assert.True(sender.BatchesSentAgain > 0, "no batch met the killed API replica: the sending was over before the kill");
        foreach (var session in sessions)
        {
            var status = await survivor.WaitForPersistedAsync(session, EventsPerSession, CatchUpTimeout);
            Assert.Equal(EventsPerSession, status.GetProperty("persisted_sequence").GetInt64());
        }

        output.WriteLine($"everything persisted after {elapsed.Elapsed.TotalSeconds:F0} s");
        await IngestionProgress.AssertStoredOnceInOrderAsync(app, collector.WorkspaceId, sessions, EventsPerSession);
        output.WriteLine($"persisted at the kill: {persistedAtKill} of {total}; batches sent again: {sender.BatchesSentAgain}");
        ReportWhetherRestarted(app, apis[0], workers[0]);
    }

    private static async Task AssertRefusesConnectionsAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(ProbePaths.Liveness));
        Assert.Equal(HttpRequestError.ConnectionError, refused.HttpRequestError);
    }

    /// <summary>The killed replicas are not restarted by the test; whether the app host brought them back is worth knowing.</summary>
    private void ReportWhetherRestarted(CatSyphonApp app, params Replica[] killed)
    {
        foreach (var replica in killed)
        {
            var state = app.Application.ResourceNotifications.TryGetCurrentState(replica.ResourceId, out var current)
                ? $"{current.Snapshot.State?.Text}, pid {current.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value}"
                : "unknown";
            output.WriteLine($"{replica.ResourceId} (killed pid {replica.ProcessId}) is now: {state}");
        }
    }
}
