using HealthChecks.NpgSql;
using HealthChecks.Redis;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// Runs PostgreSQL and Redis from the machine's own binaries, for machines without a container runtime.
/// The resources expose the same connection strings and health checks as their container counterparts.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class LocalInfrastructureExtensions
{
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password, LocalInfrastructureOptions options,
        IEnumerable<string> settings)
    {
        var dataDirectory = Path.Combine(options.DataDirectory, name);
        var (command, leadingArguments) = LocalProcess.AsPostgresUser(options.PostgresProgram("postgres"));
        var postgres = new LocalPostgresResource(name, command, dataDirectory, password.Resource);

        return builder.AddResource(postgres)
            .WithEndpoint(name: LocalPostgresResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(leadingArguments)
            .WithArgs(context =>
            {
                context.Args.Add("-D");
                context.Args.Add(dataDirectory);
                context.Args.Add("-p");
                context.Args.Add(postgres.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                foreach (var setting in PostgresDataFolder.ServerSettings.Concat(settings))
                {
                    context.Args.Add("-c");
                    context.Args.Add(setting);
                }
            })
            .WithConnectionStringHealthCheck(connectionString => new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(connectionString)))
            .StopsTheAppHostWhenItCannotStart(
                "PostgreSQL",
                async (services, cancellationToken) =>
                {
                    await LocalServerPreflight.CheckPostgresAsync(postgres, options, cancellationToken);
                    var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(postgres);
                    var passwordValue = await postgres.Password.GetValueAsync(cancellationToken)
                        ?? throw new InvalidOperationException($"The {password.Resource.Name} parameter has no value.");
                    await PostgresDataFolder.PrepareAsync(postgres, options, passwordValue, logger, cancellationToken);
                },
                output => LocalServerFailureHints.PostgresFix(output, dataDirectory));
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresResource> server, string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database.DatabaseName);

        // A database is no process of its own: it runs once its server is ready, and its own health
        // check (connecting to it) then decides whether it is healthy.
        server.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            }));

        return server.ApplicationBuilder.AddResource(database)
            .WithConnectionStringHealthCheck(connectionString => new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(connectionString)));
    }

    /// <param name="settings">redis-server options as <c>--name value</c> pairs, written to its configuration file.</param>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password, LocalInfrastructureOptions options,
        IReadOnlyList<string> settings)
    {
        var dataDirectory = Path.Combine(options.DataDirectory, name);
        var redis = new LocalRedisResource(name, options.RedisServer, dataDirectory, password.Resource) { Settings = settings };

        return builder.AddResource(redis)
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                // The password stays in the 0600 configuration file, out of the process list.
                context.Args.Add(redis.ConfigurationFile);
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithConnectionStringHealthCheck(connectionString => new RedisHealthCheck(connectionString))
            .StopsTheAppHostWhenItCannotStart(
                "Redis",
                async (services, cancellationToken) =>
                {
                    LocalServerPreflight.CheckRedis(redis);
                    var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(redis);
                    var passwordValue = await redis.Password.GetValueAsync(cancellationToken)
                        ?? throw new InvalidOperationException($"The {password.Resource.Name} parameter has no value.");
                    await RedisDataFolder.PrepareAsync(redis, passwordValue, logger, cancellationToken);
                },
                output => LocalServerFailureHints.RedisFix(output, dataDirectory));
    }
}
