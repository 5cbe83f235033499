using HealthChecks.NpgSql;
using HealthChecks.Redis;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL and Redis that run elsewhere (managed Azure services, a database team's servers): each is a connection
/// string, read from <c>ConnectionStrings:{name}</c> when the app host runs and published as a secret parameter
/// (<c>azd up</c> asks for it once and keeps it in the environment).
/// </summary>
internal static class ExternalInfrastructureExtensions
{
    public static IResourceBuilder<IResourceWithConnectionString> AddExternalDatabase(this IDistributedApplicationBuilder builder) =>
        builder.AddConnectionString(ResourceNames.Database)
            // The services wait for it as they wait for a database the app host starts, so it needs a health of its own.
            .WithConnectionStringHealthCheck(connectionString => new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(connectionString)));

    public static IResourceBuilder<IResourceWithConnectionString> AddExternalRedis(this IDistributedApplicationBuilder builder) =>
        builder.AddConnectionString(ResourceNames.Redis)
            // A cluster's health is its CLUSTER INFO, which StackExchange.Redis sends only with admin commands allowed.
            .WithConnectionStringHealthCheck(connectionString => new RedisHealthCheck($"{connectionString},allowAdmin=true"));
}
