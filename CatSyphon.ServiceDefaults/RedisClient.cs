namespace Microsoft.Extensions.Hosting;

public static class RedisClientExtensions
{
    /// <summary>
    /// The Redis every service shares (connection <see cref="ConnectionNames.Redis"/>), a single server or a Redis Cluster.
    /// Admin commands are allowed because a cluster's readiness is its <c>CLUSTER INFO</c> (what the Redis health check
    /// asks), which StackExchange.Redis sends only then; what Redis lets a client do is its own ACL's to say.
    /// </summary>
    public static void AddCatSyphonRedisClient(this IHostApplicationBuilder builder) =>
        builder.AddRedisClient(ConnectionNames.Redis, configureOptions: options => options.AllowAdmin = true);
}
