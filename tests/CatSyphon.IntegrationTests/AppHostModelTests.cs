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
        Assert.Contains("'containers' or 'local'", message);
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
        var output = Directory.CreateTempSubdirectory("catsyphon-manifest-");
        try
        {
            var manifestPath = Path.Combine(output.FullName, "aspire-manifest.json");
            var startInfo = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    "run", "--project", Projects.CatSyphon_AppHost.ProjectPath, "--no-build", "--no-launch-profile",
                    "--", "--publisher", "manifest", "--output-path", manifestPath,
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var publisher = Process.Start(startInfo)!;
            var log = await publisher.StandardOutput.ReadToEndAsync() + await publisher.StandardError.ReadToEndAsync();
            await publisher.WaitForExitAsync();
            Assert.True(publisher.ExitCode == 0, log);

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
            var resources = manifest.RootElement.GetProperty("resources");
            string Type(string name) => resources.GetProperty(name).GetProperty("type").GetString()!;

            // Publishing always describes containers, whatever this machine runs.
            Assert.StartsWith("container.", Type(ResourceNames.Postgres));
            Assert.StartsWith("container.", Type(ResourceNames.Redis));
            Assert.Contains("Database=catsyphon", resources.GetProperty(ResourceNames.Database).GetProperty("connectionString").GetString());
            foreach (var project in new[] { ResourceNames.Migrations, ResourceNames.Api, ResourceNames.Worker, ResourceNames.Web })
            {
                Assert.StartsWith("project.", Type(project));
            }

            var redisCommand = string.Join(' ', resources.GetProperty(ResourceNames.Redis).GetProperty("args").EnumerateArray().Select(arg => arg.GetString()));
            Assert.Contains("--appendonly yes --appendfsync everysec", redisCommand);
            Assert.Contains("--maxmemory 1gb --maxmemory-policy noeviction", redisCommand);
            Assert.True(resources.GetProperty(ResourceNames.Postgres).TryGetProperty("volumes", out var volumes) && volumes.GetArrayLength() > 0);
            Assert.Equal("parameter.v0", Type(ResourceNames.AdminToken));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.Single(resource => resource.Name == name);
}
