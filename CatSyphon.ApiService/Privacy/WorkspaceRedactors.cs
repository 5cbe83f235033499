using System.Collections.Concurrent;
using CatSyphon.Protocol.Redaction;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Privacy;

/// <summary>
/// Each workspace's redactor (the built-in rules plus its own), without a PostgreSQL round trip per batch. A change to a
/// workspace's rules is published on Redis so every API replica rebuilds it at once; otherwise an entry older than a
/// minute is rebuilt in the background while the cached one keeps serving, so PostgreSQL being slow never stalls ingest.
/// </summary>
public sealed class WorkspaceRedactors(IServiceScopeFactory scopes, IConnectionMultiplexer redis, TimeProvider time, ILogger<WorkspaceRedactors> logger)
{
    internal static readonly RedisChannel InvalidationChannel = RedisChannel.Literal("catsyphon:redaction-rules:invalidate");

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, Entry> entries = new();
    private readonly ConcurrentDictionary<Guid, byte> refreshing = new();

    public async ValueTask<SecretRedactor> ForAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        if (entries.TryGetValue(workspaceId, out var cached))
        {
            if (cached.ValidUntil <= time.GetUtcNow())
            {
                RefreshInBackground(workspaceId);
            }

            return cached.Redactor;
        }

        return await LoadAsync(workspaceId, cancellationToken);
    }

    /// <summary>Tells every replica to rebuild the workspace's redactor (after its rules changed).</summary>
    public async Task InvalidateAsync(Guid workspaceId)
    {
        Forget(workspaceId);
        await redis.GetSubscriber().PublishAsync(InvalidationChannel, workspaceId.ToString());
    }

    internal void Forget(Guid workspaceId) => entries.TryRemove(workspaceId, out _);

    private async Task<SecretRedactor> LoadAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatSyphonDbContext>();
        var rules = await db.RedactionRules.AsNoTracking().Where(r => r.WorkspaceId == workspaceId).ToListAsync(cancellationToken);
        var redactor = rules.Count == 0 ? SecretRedactor.Default : WorkspaceRedactor.Build(rules);
        entries[workspaceId] = new Entry(redactor, time.GetUtcNow() + Lifetime);
        return redactor;
    }

    private void RefreshInBackground(Guid workspaceId)
    {
        if (!refreshing.TryAdd(workspaceId, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await LoadAsync(workspaceId, CancellationToken.None);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Could not reload workspace {WorkspaceId}'s redaction rules; the cached ones stay in use.", workspaceId);
            }
            finally
            {
                refreshing.TryRemove(workspaceId, out _);
            }
        });
    }

    private sealed record Entry(SecretRedactor Redactor, DateTimeOffset ValidUntil);
}

/// <summary>Listens for redaction rule changes from every replica.</summary>
public sealed class RedactionRuleInvalidationListener(WorkspaceRedactors redactors, IConnectionMultiplexer redis, ILogger<RedactionRuleInvalidationListener> logger)
    : InvalidationListener(redis, WorkspaceRedactors.InvalidationChannel, "redaction rule changes", logger)
{
    protected override void Forget(Guid id) => redactors.Forget(id);
}
