using System.Collections.Concurrent;

namespace CatSyphon.ApiService.Authentication;

/// <summary>
/// Every authenticated collector request counts as contact. Writing last_seen_at on each request
/// would put PostgreSQL on the hot path, so contacts are gathered here and flushed every few seconds.
/// </summary>
public sealed class CollectorContactTracker(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Contact> pending = new();

    public void Touch(Guid collectorId) =>
        pending.AddOrUpdate(collectorId, _ => new Contact(time.GetUtcNow(), null, null), (_, previous) => previous with { SeenAt = time.GetUtcNow() });

    public void RecordHeartbeat(Guid collectorId, int? queueDepth, string? status) =>
        pending[collectorId] = new Contact(time.GetUtcNow(), queueDepth, status);

    public async Task FlushAsync(CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        foreach (var collectorId in pending.Keys)
        {
            if (!pending.TryRemove(collectorId, out var contact))
            {
                continue;
            }

            try
            {
                await db.Collectors.Where(c => c.Id == collectorId).ExecuteUpdateAsync(update => update
                    .SetProperty(c => c.LastSeenAt, contact.SeenAt)
                    .SetProperty(c => c.LastQueueDepth, c => contact.QueueDepth ?? c.LastQueueDepth)
                    .SetProperty(c => c.LastReportedStatus, c => contact.Status ?? c.LastReportedStatus), cancellationToken);
            }
            catch
            {
                // Kept for the next flush, unless a newer contact arrived meanwhile.
                pending.TryAdd(collectorId, contact);
                throw;
            }
        }
    }

    private sealed record Contact(DateTimeOffset SeenAt, int? QueueDepth, string? Status);
}

/// <summary>Writes gathered collector contacts to PostgreSQL every few seconds, and once more at shutdown.</summary>
public sealed class CollectorContactFlusher(CollectorContactTracker tracker, IServiceScopeFactory scopes, ILogger<CollectorContactFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await FlushAsync(CancellationToken.None);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await tracker.FlushAsync(scope.ServiceProvider.GetRequiredService<CatSyphonDbContext>(), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Contact times are advisory; PostgreSQL being away must not stop the flusher.
            logger.LogWarning(exception, "Could not record collector contacts; they will be retried.");
        }
    }
}
