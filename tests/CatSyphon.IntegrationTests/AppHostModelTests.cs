using Aspire.Hosting;
using CatSyphon.AppHost.Infrastructure;

namespace CatSyphon.IntegrationTests;

/// <summary>The app host's model as it is built, without starting anything.</summary>
public sealed class AppHostModelTests
{
    [Theory]
    [InlineData("local", typeof(LocalPostgresResource), typeof(LocalRedisResource))]
    [InlineData("LOCAL", typeof(LocalPostgresResource), typeof(LocalRedisResource))]
    [InlineData("containers", typeof(PostgresServerResource), typeof(RedisResource))]
    public async Task The_configured_infrastructure_mode_decides_how_postgres_and_redis_run(string mode, Type postgresType, Type redisType)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            [$"{InfrastructureModeSelector.ConfigurationKey}={mode}", "Infrastructure:DataDirectory=/tmp/catsyphon-model-test"]);

        Assert.IsType(postgresType, Resource(builder, ResourceNames.Postgres));
        Assert.IsType(redisType, Resource(builder, ResourceNames.Redis));
        Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, ResourceNames.Database));
    }

    [Fact]
    public async Task An_unknown_infrastructure_mode_is_refused_with_the_valid_choices()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            [$"{InfrastructureModeSelector.ConfigurationKey}=kubernetes"]));

        var message = error.GetBaseException().Message;
        Assert.Contains("kubernetes", message);
        Assert.Contains("'containers', 'local' or 'external'", message);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("2tb")]
    [InlineData("1mb")]
    [InlineData("-1gb")]
    public async Task A_redis_memory_bound_that_is_not_a_size_of_at_least_64mb_is_refused(string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            ["Infrastructure:Mode=local", $"Infrastructure:RedisMaxMemory={value}"]));

        var message = error.GetBaseException().Message;
        Assert.Contains("Infrastructure:RedisMaxMemory", message);
        Assert.Contains(value, message);
    }

    [Fact]
    public async Task The_admin_token_comes_from_CATSYPHON_ADMIN_TOKEN_when_it_is_set()
    {
        var token = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            ["Infrastructure:Mode=local", $"CATSYPHON_ADMIN_TOKEN={token}"]);

        var parameter = Assert.IsType<ParameterResource>(Resource(builder, ResourceNames.AdminToken));

        Assert.True(parameter.Secret);
        Assert.Equal(token, await parameter.GetValueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_llm_key_goes_to_the_worker_only_as_a_secret_and_the_api_learns_just_that_one_is_configured()
    {
        var manifest = await AppHostManifest.PublishAsync(new Dictionary<string, string>
        {
            [$"Parameters__{LlmSettingsExtensions.ApiKeyParameter}"] = "sk-" + Guid.NewGuid().ToString("N"),
            ["Llm__Model"] = "llama3.1",
        });

        Assert.Equal("parameter.v0", manifest.Type(LlmSettingsExtensions.ApiKeyParameter));
        Assert.True(manifest.Resources.GetProperty(LlmSettingsExtensions.ApiKeyParameter).GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        var worker = manifest.Environment(ResourceNames.Worker);
        Assert.Equal(($"{{{LlmSettingsExtensions.ApiKeyParameter}.value}}", "llama3.1"), (worker["Llm__ApiKey"], worker["Llm__Model"]));
        var api = manifest.Environment(ResourceNames.Api);
        Assert.Equal(("true", "llama3.1"), (api["Llm__Configured"], api["Llm__Model"]));
        Assert.DoesNotContain(api.Values, value => value.Contains(LlmSettingsExtensions.ApiKeyParameter, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ResourceNames.Api)]
    [InlineData(ResourceNames.Worker)]
    public async Task Services_wait_for_the_database_redis_and_the_finished_migrations(string service)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(["Infrastructure:Mode=local"]);

        var waits = Resource(builder, service).Annotations.OfType<WaitAnnotation>().ToList();

        Assert.Contains(waits, wait => wait.Resource.Name == ResourceNames.Database && wait.WaitType == WaitType.WaitUntilHealthy);
        Assert.Contains(waits, wait => wait.Resource.Name == ResourceNames.Redis && wait.WaitType == WaitType.WaitUntilHealthy);
        Assert.Contains(waits, wait => wait.Resource.Name == ResourceNames.Migrations && wait.WaitType == WaitType.WaitForCompletion);
    }

    [Fact]
    public async Task The_manifest_publisher_describes_every_resource_with_durable_redis()
    {
        var manifest = await AppHostManifest.PublishAsync();

        // Publishing describes containers by default, whatever this machine runs.
        Assert.StartsWith("container.", manifest.Type(ResourceNames.Postgres));
        Assert.StartsWith("container.", manifest.Type(ResourceNames.Redis));
        Assert.Contains("Database=catsyphon", manifest.Resources.GetProperty(ResourceNames.Database).GetProperty("connectionString").GetString());
        Assert.Equal(
            [ResourceNames.Api, ResourceNames.Migrations, ResourceNames.Web, ResourceNames.Worker],
            manifest.ProjectResources().Order(StringComparer.Ordinal));

        var redisCommand = string.Join(' ', manifest.Resources.GetProperty(ResourceNames.Redis).GetProperty("args").EnumerateArray().Select(arg => arg.GetString()));
        Assert.Contains("--appendonly yes --appendfsync everysec", redisCommand);
        Assert.Contains("--maxmemory 1gb --maxmemory-policy noeviction", redisCommand);
        Assert.True(manifest.Resources.GetProperty(ResourceNames.Postgres).TryGetProperty("volumes", out var volumes) && volumes.GetArrayLength() > 0);
        Assert.Equal("parameter.v0", manifest.Type(ResourceNames.AdminToken));
    }

    [Fact]
    public async Task Publishing_with_external_servers_asks_for_their_connection_strings_as_secrets_and_runs_no_database_container()
    {
        var manifest = await AppHostManifest.PublishAsync(new Dictionary<string, string> { ["Infrastructure__Mode"] = "external" });

        foreach (var connection in new[] { ResourceNames.Database, ResourceNames.Redis })
        {
            Assert.Equal("parameter.v0", manifest.Type(connection));
            var resource = manifest.Resources.GetProperty(connection);
            Assert.Equal($"{{{connection}.value}}", resource.GetProperty("connectionString").GetString());
            Assert.True(resource.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        }

        // No server of the app host's own, and none of its passwords left to prompt for.
        Assert.DoesNotContain(
            manifest.Resources.EnumerateObject(),
            resource => manifest.Type(resource.Name).StartsWith("container.", StringComparison.Ordinal));
        Assert.False(manifest.Has(ResourceNames.Postgres));
        Assert.False(manifest.Has($"{ResourceNames.Postgres}-password"));
        Assert.False(manifest.Has($"{ResourceNames.Redis}-password"));

        foreach (var service in new[] { ResourceNames.Migrations, ResourceNames.Api, ResourceNames.Worker })
        {
            Assert.Equal("{catsyphon.connectionString}", manifest.Environment(service)["ConnectionStrings__catsyphon"]);
        }

        foreach (var service in new[] { ResourceNames.Migrations, ResourceNames.Api, ResourceNames.Worker, ResourceNames.Web })
        {
            Assert.Equal("{redis.connectionString}", manifest.Environment(service)["ConnectionStrings__redis"]);
        }
    }

    [Fact]
    public async Task External_mode_builds_connection_string_resources_from_configuration_and_no_servers()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            [$"{InfrastructureModeSelector.ConfigurationKey}=external"]);

        Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, ResourceNames.Database));
        Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, ResourceNames.Redis));
        Assert.DoesNotContain(builder.Resources, resource => resource.Name == ResourceNames.Postgres);
        Assert.DoesNotContain(builder.Resources, resource => resource is ContainerResource or LocalPostgresResource or LocalRedisResource);
    }

    [Fact]
    public async Task Published_postgres_gets_the_tuning_with_configured_settings_over_the_defaults()
    {
        var manifest = await AppHostManifest.PublishAsync(new Dictionary<string, string> { ["Infrastructure__PostgresSettings__work_mem"] = "64MB" });

        Assert.Equal(
            ["-c", "effective_cache_size=4GB", "-c", "max_connections=200", "-c", "shared_buffers=256MB", "-c", "work_mem=64MB"],
            manifest.Arguments(ResourceNames.Postgres));
    }

    [Fact]
    public async Task A_postgres_setting_that_could_be_anything_else_is_refused_by_name()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            ["Infrastructure:Mode=local", "Infrastructure:PostgresSettings:work_mem=16MB -c fsync=off"]));

        Assert.Contains("Infrastructure:PostgresSettings:work_mem", error.GetBaseException().Message);
    }

    [Theory]
    [InlineData(ResourceNames.Api, "Scale:ApiReplicas")]
    [InlineData(ResourceNames.Worker, "Scale:WorkerReplicas")]
    [InlineData(ResourceNames.Web, "Scale:WebReplicas")]
    public async Task Each_service_runs_as_many_replicas_as_its_scale_setting_says(string service, string setting)
    {
        await using var unset = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(["Infrastructure:Mode=local"]);
        await using var three = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            ["Infrastructure:Mode=local", $"{setting}=3"]);

        Assert.Equal(1, Replicas(unset, service));
        Assert.Equal(3, Replicas(three, service));
        // Only the named service scales.
        Assert.All(
            new[] { ResourceNames.Api, ResourceNames.Worker, ResourceNames.Web }.Where(other => other != service),
            other => Assert.Equal(1, Replicas(three, other)));
    }

    [Theory]
    [InlineData("Scale:ApiReplicas", "0")]
    [InlineData("Scale:WorkerReplicas", "17")]
    [InlineData("Scale:WebReplicas", "two")]
    public async Task A_replica_count_outside_1_to_16_is_refused_naming_the_setting(string setting, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            ["Infrastructure:Mode=local", $"{setting}={value}"]));

        var message = error.GetBaseException().Message;
        Assert.Contains($"'{value}' is not a valid {setting}", message);
        Assert.Contains(setting.Replace(":", "__", StringComparison.Ordinal), message);
    }

    /// <summary>The processes the app host runs for a service: its replica annotation's count, one without it.</summary>
    private static int Replicas(IDistributedApplicationTestingBuilder builder, string service) =>
        Resource(builder, service).Annotations.OfType<ReplicaAnnotation>().SingleOrDefault()?.Replicas ?? 1;

    private static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.Single(resource => resource.Name == name);
}
