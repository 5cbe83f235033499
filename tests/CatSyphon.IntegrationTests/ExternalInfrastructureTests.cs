using CatSyphon.IntegrationTests.Scale;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// <c>Infrastructure:Mode=external</c> run for real: the app host starts no PostgreSQL or Redis and its services work
/// against servers it was only given connection strings to: another stack's PostgreSQL, as production gives a managed
/// one, and a three-node Redis Cluster, as a clustered managed Redis is.
/// </summary>
public sealed class ExternalInfrastructureTests
{
    [Fact]
    public async Task External_mode_runs_every_service_against_servers_the_app_host_did_not_start_a_redis_cluster_among_them()
    {
        await using var servers = await CatSyphonApp.StartHealthyAsync();
        await using var cluster = await RedisCluster.StartAsync();
        var database = await servers.GetConnectionStringAsync(ResourceNames.Database);

        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
        [
            "Infrastructure:Mode=external",
            $"ConnectionStrings:{ResourceNames.Database}={database}",
            $"ConnectionStrings:{ResourceNames.Redis}={cluster.ConnectionString}",
            $"Parameters:{ResourceNames.AdminToken}={servers.AdminToken}",
        ]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        await using var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(CatSyphonApp.StartTimeout);
        await app.StartAsync(timeout.Token);

        // Healthy means ready (/ready checks PostgreSQL and Redis), and the API and worker start only after the
        // migration step completed against the external database.
        foreach (var service in new[] { ResourceNames.Api, ResourceNames.Worker, ResourceNames.Web })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        // What the external app's API reads is what the other stack wrote: the same database.
        using var first = servers.CreateAdminClient();
        using var second = app.CreateHttpClient(ResourceNames.Api);
        second.DefaultRequestHeaders.Authorization = new("Bearer", servers.AdminToken);
        Assert.Equal(
            await first.GetStringAsync("/api/workspaces", timeout.Token),
            await second.GetStringAsync("/api/workspaces", timeout.Token));

        using var registered = await CollectorClient.RegisterAsync(servers);
        using var collector = registered.At(app.GetEndpoint(ResourceNames.Api, "http"));
        await IngestsThroughTheClusterAsync(collector, cluster);
    }

    /// <summary>
    /// Sessions in every shard are accepted, deduplicated, completed and persisted through the cluster, each script's keys
    /// on one slot (a script spanning slots would be refused: CROSSSLOT) and the shards spread over the nodes.
    /// </summary>
    private static async Task IngestsThroughTheClusterAsync(CollectorClient collector, RedisCluster cluster)
    {
        const int perSession = 100;
        // Three sessions in each shard.
        var perShard = new int[IngestionRedisKeys.ShardCount];
        var sessions = Enumerable.Range(0, int.MaxValue).Select(i => $"cluster-{i}-{Guid.NewGuid():N}")
            .Where(session => perShard[IngestionRedisKeys.ShardOf(collector.WorkspaceId, session)]++ < 3)
            .Take(3 * IngestionRedisKeys.ShardCount).ToArray();
        await Task.WhenAll(sessions.Select(async session =>
        {
            for (var from = 1; from <= perSession; from += 50)
            {
                await collector.SendAcceptedAsync(session, CollectorClient.Messages(from, 50, sequenced: true));
            }

            // A resend is all duplicates: its job goes to the jobs stream, a hash tag of its own.
            Assert.Equal((0, 50), CollectorClient.Counts(await collector.SendAcceptedAsync(session, CollectorClient.Messages(51, 50, sequenced: true))));
        }));

        using (var completed = await collector.Http.PostAsJsonAsync($"/collectors/sessions/{sessions[0]}/complete",
            new { outcome = "success", event_count = perSession, final_sequence = perSession }))
        {
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        }

        foreach (var session in sessions)
        {
            var status = await collector.WaitForPersistedAsync(session, perSession, TimeSpan.FromSeconds(90));
            Assert.Equal(perSession, status.GetProperty("persisted_sequence").GetInt64());
        }

        Assert.Equal("completed", (await collector.SessionAsync(sessions[0])).GetProperty("status").GetString());
        var shardKeys = new[]
        {
            IngestionRedisKeys.SessionState(collector.WorkspaceId, sessions[0]), IngestionRedisKeys.SessionHashes(collector.WorkspaceId, sessions[0]),
            IngestionRedisKeys.SessionHashOrder(collector.WorkspaceId, sessions[0]), IngestionRedisKeys.SessionDeadLetters(collector.WorkspaceId, sessions[0]),
            IngestionRedisKeys.Shard(IngestionRedisKeys.ShardOf(collector.WorkspaceId, sessions[0])),
            IngestionRedisKeys.Attempts(IngestionRedisKeys.Shard(IngestionRedisKeys.ShardOf(collector.WorkspaceId, sessions[0]))),
        };
        var slots = await Task.WhenAll(shardKeys.Select(key => cluster.AskAsync(cluster.Ports[0], "CLUSTER", "KEYSLOT", key!)));
        Assert.Single(slots.Distinct());
        var shardSlots = await Task.WhenAll(Enumerable.Range(0, IngestionRedisKeys.ShardCount)
            .Select(shard => cluster.AskAsync(cluster.Ports[0], "CLUSTER", "KEYSLOT", IngestionRedisKeys.Shard(shard)!)));
        Assert.Equal(IngestionRedisKeys.ShardCount, shardSlots.Distinct().Count());
        // The shards' session states live on their shards' nodes: more than one node holds keys.
        Assert.True((await cluster.KeysPerNodeAsync()).Count(keys => keys > 0) >= 2, "every key landed on one node");
    }
}
