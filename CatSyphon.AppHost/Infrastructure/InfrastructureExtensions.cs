namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL and Redis behind one code path: containers where a runtime answers (and for publishing), the
/// machine's own binaries otherwise, or external servers' connection strings when configured. All return plain
/// connection-string resources, so the rest of the app host does not know which mode runs.
/// </summary>
internal static class InfrastructureExtensions
{
    private static readonly GenerateParameterDefault GeneratedPassword = new() { MinLength = 32, Special = false };

    public static IResourceBuilder<IResourceWithConnectionString> AddCatSyphonDatabase(
        this IDistributedApplicationBuilder builder, InfrastructureMode mode)
    {
        if (mode == InfrastructureMode.External)
        {
            return builder.AddExternalDatabase();
        }

        var password = builder.AddParameter($"{ResourceNames.Postgres}-password", GeneratedPassword, secret: true, persist: true);

        if (mode == InfrastructureMode.Containers)
        {
            return builder.AddPostgres(ResourceNames.Postgres, password: password)
                .WithDataVolume()
                .WithArgs([.. PostgresTuning.Arguments(builder.Configuration)])
                .AddDatabase(ResourceNames.Database);
        }

        if (OperatingSystem.IsWindows())
        {
            throw LocalModeIsUnsupported();
        }

        return builder.AddLocalPostgres(ResourceNames.Postgres, password, LocalInfrastructureOptions.From(builder.Configuration),
                PostgresTuning.Settings(builder.Configuration))
            .AddDatabase(ResourceNames.Database);
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddCatSyphonRedis(
        this IDistributedApplicationBuilder builder, InfrastructureMode mode)
    {
        // Durability and the memory bound are the external server's own configuration (see deploy/README.md).
        if (mode == InfrastructureMode.External)
        {
            return builder.AddExternalRedis();
        }

        var password = builder.AddParameter($"{ResourceNames.Redis}-password", GeneratedPassword, secret: true, persist: true);
        string[] settings = [.. RedisDurability.Arguments, .. RedisMemoryLimit.Arguments(builder.Configuration)];

        if (mode == InfrastructureMode.Containers)
        {
            return builder.AddRedis(ResourceNames.Redis, port: null, password: password)
                .WithDataVolume()
                .WithArgs(context => AppendToRedisCommand(context, settings));
        }

        if (OperatingSystem.IsWindows())
        {
            throw LocalModeIsUnsupported();
        }

        return builder.AddLocalRedis(ResourceNames.Redis, password, LocalInfrastructureOptions.From(builder.Configuration), settings);
    }

    /// <summary>
    /// The Redis container starts through <c>/bin/sh -c "redis-server ..."</c>, so the durability and memory
    /// settings belong inside that one command line rather than after it.
    /// </summary>
    private static void AppendToRedisCommand(CommandLineArgsCallbackContext context, string[] settings)
    {
        for (var index = 0; index < context.Args.Count; index++)
        {
            if (context.Args[index] is string command && command.StartsWith("redis-server", StringComparison.Ordinal))
            {
                context.Args[index] = $"{command} {string.Join(' ', settings)}";
                return;
            }
        }

        throw new InvalidOperationException("The Redis container's command line no longer starts with redis-server; durability and memory settings cannot be applied.");
    }

    private static PlatformNotSupportedException LocalModeIsUnsupported() => new(
        $"Local infrastructure mode runs PostgreSQL and Redis as Unix processes; on Windows set {InfrastructureModeSelector.ConfigurationKey}=containers.");
}
