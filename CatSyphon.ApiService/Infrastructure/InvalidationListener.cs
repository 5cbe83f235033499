using StackExchange.Redis;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// Drops what one replica caches about an id when any replica publishes the id on a Redis channel. It subscribes once at
/// start-up, asynchronously: a blocking subscribe on the first request would stall it behind Redis under load.
/// </summary>
public abstract class InvalidationListener(IConnectionMultiplexer redis, RedisChannel channel, string what, ILogger logger) : IHostedService
{
    private ChannelMessageQueue? subscription;

    protected abstract void Forget(Guid id);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            subscription = await redis.GetSubscriber().SubscribeAsync(channel);
            subscription.OnMessage(message =>
            {
                if (Guid.TryParse(message.Message.ToString(), out var id))
                {
                    Forget(id);
                }
            });
        }
        catch (RedisException exception)
        {
            // Cached entries then live out their short lifetime; /ready reports Redis meanwhile.
            logger.LogError(exception, "Could not subscribe to {What}.", what);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (subscription is not null)
        {
            await subscription.UnsubscribeAsync();
        }
    }
}
