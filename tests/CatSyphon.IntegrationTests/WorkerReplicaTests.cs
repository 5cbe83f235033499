namespace CatSyphon.IntegrationTests;

/// <summary>Several ingestion workers at once: each event stored once, each session's events stored in sequence order.</summary>
public sealed class WorkerReplicaTests
{
    [Fact]
    public async Task Two_worker_replicas_store_every_event_once_and_in_sequence_order()
    {
        await using var app = await CatSyphonApp.StartAsync(appHostSettings: new Dictionary<string, string> { ["Scale:WorkerReplicas"] = "2" });
        await app.WaitForHealthyAsync(ResourceNames.Api);
        using var collector = await CollectorClient.RegisterAsync(app);
        var sessions = Enumerable.Range(0, 16).Select(i => $"replicas-{i}-{Guid.NewGuid():N}").ToArray();
        const int perSession = 1_000;

        await Task.WhenAll(sessions.Select(async session =>
        {
            for (var from = 1; from <= perSession; from += 50)
            {
                await collector.SendAcceptedAsync(session, CollectorClient.Messages(from, 50, sequenced: true));
            }
        }));
        foreach (var session in sessions)
        {
            Assert.Equal(perSession, (await collector.WaitForPersistedAsync(session, perSession, TimeSpan.FromSeconds(120))).GetProperty("persisted_sequence").GetInt64());
        }

        // Rows are numbered in insertion order: a session's later event never went in before an earlier one.
        await IngestionProgress.AssertStoredOnceInOrderAsync(app, collector.WorkspaceId, sessions, perSession);
    }
}
