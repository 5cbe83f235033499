using BenchmarkDotNet.Attributes;
using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.Ingestion;
using CatSyphon.Protocol;
using CatSyphon.Worker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CatSyphon.Benchmarks;

/// <summary>
/// <see cref="SessionBuffer.AcceptAsync"/> on a session Redis knows, as the API calls it after validation: the script's
/// arguments (per-event JSON and dedup member) built, then <c>SessionScripts.Accept</c> run against a redis-server of
/// its own on a free port. Each iteration accepts <see cref="BatchesPerIteration"/> consecutive batches of one session
/// from a freshly seeded state, so every batch takes the accepted path (no gap, no duplicates, no PostgreSQL lookup)
/// and the streams do not grow across iterations. Per event.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(BatchesPerIteration)]
public class SessionBufferBenchmarks
{
    private const int BatchesPerIteration = 200;
    private const string SessionId = "bench-session-0001";

    private readonly CollectorIdentity collector = new(Guid.NewGuid(), Guid.NewGuid(), Disabled: false);
    private EventBatchValidationResult[] batches = [];
    private LocalRedis? redis;
    private ServiceProvider? services;
    private SessionBuffer? buffer;
    private int next;

    private RedisKey State => IngestionRedisKeys.SessionState(collector.WorkspaceId, SessionId);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        batches = [.. Enumerable.Range(0, BatchesPerIteration).Select(i => CollectorBatches.Validated(CollectorBatches.Body(SessionId, i)))];
        redis = await LocalRedis.StartAsync();

        // Only the options and an unused scope factory: a seeded session never asks PostgreSQL.
        services = new ServiceCollection().AddOptions().BuildServiceProvider();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        buffer = new SessionBuffer(
            redis.Connection, scopes, new SessionDedupWindow(scopes, NullLogger<SessionDedupWindow>.Instance),
            services.GetRequiredService<IOptionsMonitor<IngestOptions>>(), TimeProvider.System);
    }

    [IterationSetup]
    public void SeedSession()
    {
        var database = redis!.Connection.GetDatabase();
        var hashes = IngestionRedisKeys.SessionHashes(collector.WorkspaceId, SessionId);
        var order = IngestionRedisKeys.SessionHashOrder(collector.WorkspaceId, SessionId);
        var shard = IngestionRedisKeys.Shard(IngestionRedisKeys.ShardOf(collector.WorkspaceId, SessionId));
        database.KeyDelete([State, hashes, order, shard, IngestionRedisKeys.Jobs]);
        database.ScriptEvaluate(SessionScripts.Seed, [State, hashes, order],
            [Guid.CreateVersion7().ToString(), 0, 0, 0, SessionStatuses.Active, (long)TimeSpan.FromDays(1).TotalMilliseconds]);
        next = 0;
    }

    [Benchmark(OperationsPerInvoke = CollectorBatches.EventsPerBatch, Description = "SessionBuffer.AcceptAsync (Accept script), per event")]
    public Task<BufferOutcome> Accept() =>
        buffer!.AcceptAsync(collector, batches[next++], Guid.CreateVersion7(), DateTimeOffset.UtcNow, CancellationToken.None);

    /// <summary>Every batch of the iteration must have been accepted whole, or the figure measured another path.</summary>
    [IterationCleanup]
    public void CheckAccepted()
    {
        var last = (long)redis!.Connection.GetDatabase().HashGet(State, "last_sequence");
        if (last != (long)next * CollectorBatches.EventsPerBatch)
        {
            throw new InvalidOperationException($"The session's last sequence is {last} after {next} batches of {CollectorBatches.EventsPerBatch}.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        if (services is not null)
        {
            await services.DisposeAsync();
        }
    }
}
