namespace CatSyphon.Worker.Streams;

/// <summary>
/// Exclusive ownership of one stream for a while (<c>SET key token NX PX</c>), so one worker at a time
/// processes it, in order. While held it is renewed every third of its duration; <see cref="Lost"/>
/// fires when a renewal finds another owner, or when no renewal has succeeded for a whole lease
/// duration (then another replica may have taken over). Disposing releases it if still ours.
/// </summary>
public sealed class StreamLease : IAsyncDisposable
{
    // Renew or release only while the key still holds our token: never extend or delete someone else's lease.
    private static readonly LuaScript RenewScript = LuaScript.Prepare(
        "if redis.call('GET', @key) == @token then return redis.call('PEXPIRE', @key, @ms) else return 0 end");

    private static readonly LuaScript ReleaseScript = LuaScript.Prepare(
        "if redis.call('GET', @key) == @token then return redis.call('DEL', @key) else return 0 end");

    private readonly IDatabase database;
    private readonly RedisKey key;
    private readonly string token;
    private readonly TimeSpan duration;
    private readonly CancellationTokenSource lost = new();
    private readonly CancellationTokenSource stopRenewal = new();
    private readonly ILogger logger;
    private Task renewal = Task.CompletedTask;

    private StreamLease(IDatabase database, RedisKey key, string token, TimeSpan duration, ILogger logger)
    {
        this.database = database;
        this.key = key;
        this.token = token;
        this.duration = duration;
        this.logger = logger;
    }

    public RedisKey Key => key;

    public string Token => token;

    /// <summary>Cancelled once the lease can no longer be trusted to be ours.</summary>
    public CancellationToken Lost => lost.Token;

    /// <summary>Takes the lease if nobody holds it; null when someone does.</summary>
    public static async Task<StreamLease?> TryAcquireAsync(IDatabase database, RedisKey key, string token, TimeSpan duration, ILogger logger)
    {
        if (!await database.StringSetAsync(key, token, duration, When.NotExists))
        {
            return null;
        }

        var lease = new StreamLease(database, key, token, duration, logger);
        lease.renewal = lease.RenewLoopAsync();
        return lease;
    }

    private async Task RenewLoopAsync()
    {
        var interval = duration / 3;
        var lastRenewed = TimeProvider.System.GetTimestamp();
        while (!stopRenewal.IsCancellationRequested && !lost.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stopRenewal.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var renewed = (long)await database.ScriptEvaluateAsync(
                    RenewScript, new { key, token, ms = (long)duration.TotalMilliseconds });
                if (renewed != 1)
                {
                    logger.LogWarning("The lease {Lease} is held by another worker now; stopping work on it.", (string?)key);
                    await lost.CancelAsync();
                    return;
                }

                lastRenewed = TimeProvider.System.GetTimestamp();
            }
            catch (Exception exception)
            {
                logger.LogDebug(exception, "Renewing the lease {Lease} failed.", (string?)key);

                // Redis unreachable: nobody else can take the lease either, but once it would have expired
                // another replica may have taken it when Redis came back.
                if (TimeProvider.System.GetElapsedTime(lastRenewed) >= duration)
                {
                    logger.LogWarning("Could not renew the lease {Lease} in time; stopping work on it.", (string?)key);
                    await lost.CancelAsync();
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopRenewal.CancelAsync();
        await renewal;
        try
        {
            await database.ScriptEvaluateAsync(ReleaseScript, new { key, token });
        }
        catch (Exception exception)
        {
            // It expires by itself.
            logger.LogDebug(exception, "Releasing the lease {Lease} failed.", (string?)key);
        }

        lost.Dispose();
        stopRenewal.Dispose();
    }
}
