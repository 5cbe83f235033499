using System.Collections.Concurrent;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Authentication;

/// <summary>
/// Resolves collector keys without a PostgreSQL round trip per request. A rotation, revocation or
/// disabling publishes an invalidation on Redis so every API replica forgets the collector at once;
/// otherwise an entry is refreshed in the background once it is a minute old while the cached answer
/// keeps serving, so PostgreSQL being slow or away never stalls a known collector.
/// </summary>
public sealed class CollectorKeyCache(
    IServiceScopeFactory scopes, IConnectionMultiplexer redis, TimeProvider time, IOptions<CollectorOptions> options, ILogger<CollectorKeyCache> logger)
{
    internal static readonly RedisChannel InvalidationChannel = RedisChannel.Literal("catsyphon:collector-keys:invalidate");

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> refreshing = new(StringComparer.Ordinal);

    /// <summary>The collector a well-formed key belongs to, or null when no active key matches.</summary>
    public async Task<CollectorIdentity?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Protocol.CollectorKeys.Hash(key);
        var hashKey = Convert.ToHexString(hash);
        var now = time.GetUtcNow();
        if (entries.TryGetValue(hashKey, out var cached))
        {
            if (cached.ValidUntil > now)
            {
                return cached.Identity;
            }

            // A key in its rotation grace period is checked again now: its grace may be over.
            if (cached.GraceEnds is null)
            {
                RefreshInBackground(hash, hashKey);
                return cached.Identity;
            }
        }

        return await LookUpAsync(hash, hashKey, now, cancellationToken);
    }

    private void RefreshInBackground(byte[] hash, string hashKey)
    {
        if (!refreshing.TryAdd(hashKey, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await LookUpAsync(hash, hashKey, time.GetUtcNow(), CancellationToken.None);
            }
            catch (Exception exception)
            {
                // PostgreSQL is away: the collector keeps its cached answer and the next request tries again.
                logger.LogWarning(exception, "Could not refresh a cached collector key; the cached answer stays in use.");
            }
            finally
            {
                refreshing.TryRemove(hashKey, out _);
            }
        });
    }

    private async Task<CollectorIdentity?> LookUpAsync(byte[] hash, string hashKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatSyphonDbContext>();
        var found = await db.Collectors.AsNoTracking()
            .Where(c => c.RevokedAt == null
                && (c.ApiKeyHash == hash || (c.PreviousApiKeyHash == hash && c.PreviousKeyExpiresAt > now)))
            .Select(c => new { c.Id, c.WorkspaceId, Disabled = c.DisabledAt != null, IsPrevious = c.ApiKeyHash != hash, c.PreviousKeyExpiresAt })
            .FirstOrDefaultAsync(cancellationToken);

        if (found is null)
        {
            // Unknown keys are not remembered: random keys must not be able to fill the cache. A key that
            // stopped working (revoked where this replica missed the broadcast) is forgotten.
            entries.TryRemove(hashKey, out _);
            return null;
        }

        var identity = new CollectorIdentity(found.Id, found.WorkspaceId, found.Disabled);
        // A key in its rotation grace period must not outlive the grace in the cache.
        var graceEnds = found.IsPrevious ? found.PreviousKeyExpiresAt : null;
        var validUntil = graceEnds is { } ends && ends < now + options.Value.KeyCacheLifetime ? ends : now + options.Value.KeyCacheLifetime;
        entries[hashKey] = new Entry(identity, validUntil, graceEnds);
        return identity;
    }

    /// <summary>Tells every replica to forget the collector's keys (after rotate, revoke, disable).</summary>
    public async Task InvalidateAsync(Guid collectorId)
    {
        Forget(collectorId);
        await redis.GetSubscriber().PublishAsync(InvalidationChannel, collectorId.ToString());
    }

    /// <summary>Drops the collector's cached keys on this replica (see <see cref="CollectorKeyInvalidationListener"/>).</summary>
    internal void Forget(Guid collectorId)
    {
        foreach (var (hashKey, entry) in entries)
        {
            if (entry.Identity.CollectorId == collectorId)
            {
                entries.TryRemove(hashKey, out _);
            }
        }
    }

    private sealed record Entry(CollectorIdentity Identity, DateTimeOffset ValidUntil, DateTimeOffset? GraceEnds);
}

/// <summary>Listens for key invalidations from every replica.</summary>
public sealed class CollectorKeyInvalidationListener(CollectorKeyCache cache, IConnectionMultiplexer redis, ILogger<CollectorKeyInvalidationListener> logger)
    : InvalidationListener(redis, CollectorKeyCache.InvalidationChannel, "collector key invalidations", logger)
{
    protected override void Forget(Guid id) => cache.Forget(id);
}
