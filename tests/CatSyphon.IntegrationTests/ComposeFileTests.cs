using Aspire.Hosting;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// deploy/compose/compose.yaml as Debian's docker-compose renders it with .env.example (no daemon needed), held to the
/// app host's manifest and model: the same services, environment names, published ports and start order.
/// </summary>
public sealed class ComposeFileTests(PublishedManifest published) : IClassFixture<PublishedManifest>
{
    private static readonly string ComposeFolder = Path.Combine(DeploymentFiles.Folder, "compose");
    private static readonly string[] RequiredSecrets = ["ADMIN_TOKEN", "POSTGRES_PASSWORD", "REDIS_PASSWORD", "CATSYPHON_PUBLIC_URL", "CATSYPHON_VERSION"];

    /// <summary>
    /// The compose service that stands for each resource a service waits for in the app host (waiting for the database
    /// also waits for its server).
    /// </summary>
    private static readonly Dictionary<string, string> ComposeServiceOf = new()
    {
        [ResourceNames.Postgres] = "postgres",
        [ResourceNames.Database] = "postgres",
        [ResourceNames.Redis] = "redis",
        [ResourceNames.Migrations] = "migrations",
        [ResourceNames.Api] = "api",
    };

    /// <summary>The project each externally reachable service runs, whose launch profile names its development port.</summary>
    private static readonly Dictionary<string, string> ProjectFolderOf = new()
    {
        [ResourceNames.Api] = "CatSyphon.ApiService",
        [ResourceNames.Web] = "CatSyphon.Web",
    };

    [Fact]
    public async Task Every_service_of_the_manifest_runs_in_compose_with_the_environment_names_it_needs()
    {
        var services = await RenderAsync();

        foreach (var service in published.Manifest.ProjectResources())
        {
            var environment = Assert.IsType<JsonObject>(services[service]?["environment"]);
            var missing = DeploymentFiles.RequiredEnvironment(published.Manifest, service).Where(name => !environment.ContainsKey(name));
            Assert.True(!missing.Any(), $"compose's {service} lacks {string.Join(", ", missing)}");
            foreach (var connection in environment.Where(variable => variable.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
            {
                Assert.False(string.IsNullOrWhiteSpace(connection.Value?.GetValue<string>()), $"{service}'s {connection.Key} is empty");
            }
        }

        // The web reaches the API by its compose service name on the port the API's container listens on.
        var apiAddress = new Uri(services["web"]!["environment"]!["services__api__http__0"]!.GetValue<string>());
        Assert.Equal("api", apiAddress.Host);
        Assert.Equal(services["api"]!["environment"]!["HTTP_PORTS"]!.GetValue<string>(), apiAddress.Port.ToString());
    }

    [Fact]
    public async Task Services_start_in_the_app_hosts_order_migrations_completed_and_servers_healthy()
    {
        var services = await RenderAsync();
        await using var model = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(["Infrastructure:Mode=local"]);

        foreach (var service in published.Manifest.ProjectResources())
        {
            var expected = model.Resources.Single(resource => resource.Name == service).Annotations.OfType<WaitAnnotation>()
                .Select(wait => (
                    Service: ComposeServiceOf[wait.Resource.Name],
                    Condition: wait.WaitType == WaitType.WaitForCompletion ? "service_completed_successfully" : "service_healthy"))
                .Distinct()
                .ToDictionary();
            var actual = Assert.IsType<JsonObject>(services[service]?["depends_on"]).ToDictionary(
                dependency => dependency.Key, dependency => dependency.Value!["condition"]!.GetValue<string>());

            Assert.Equal(expected.OrderBy(pair => pair.Key), actual.OrderBy(pair => pair.Key));
        }
    }

    [Fact]
    public async Task Services_publish_their_development_ports_restart_and_report_health()
    {
        var services = await RenderAsync();

        foreach (var service in published.Manifest.ProjectResources().Where(name => name != ResourceNames.Migrations))
        {
            Assert.Equal("unless-stopped", services[service]!["restart"]!.GetValue<string>());
            Assert.Contains("/health", services[service]!["healthcheck"]!["test"]!.ToJsonString());

            var external = published.Manifest.Resources.GetProperty(service).GetProperty("bindings").GetProperty("http")
                .TryGetProperty("external", out var flag) && flag.GetBoolean();
            var ports = services[service]!["ports"]?.AsArray() ?? [];
            if (external)
            {
                Assert.Equal(DevelopmentPort(service), Assert.Single(ports)!["published"]!.GetValue<string>());
            }
            else
            {
                Assert.Empty(ports);
            }
        }

        Assert.Equal("no", services["migrations"]!["restart"]!.GetValue<string>());
        Assert.NotNull(services["postgres"]!["healthcheck"]);
        Assert.Equal(["postgres", .. published.Manifest.Arguments(ResourceNames.Postgres)],
            services["postgres"]!["command"]!.AsArray().Select(argument => argument!.GetValue<string>()));
        Assert.NotNull(services["redis"]!["healthcheck"]);
        var redisCommand = string.Join(' ', services["redis"]!["command"]!.AsArray().Select(argument => argument!.GetValue<string>()));
        Assert.Contains("--appendonly yes --appendfsync everysec", redisCommand);
        Assert.Contains("--maxmemory-policy noeviction", redisCommand);
        Assert.Contains(services["postgres"]!["volumes"]!.AsArray(), volume => volume!.GetValue<string>().StartsWith("postgres-data:", StringComparison.Ordinal));
        Assert.Contains(services["redis"]!["volumes"]!.AsArray(), volume => volume!.GetValue<string>().StartsWith("redis-data:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_images_are_tagged_with_the_release_version()
    {
        var services = await RenderAsync();

        foreach (var service in published.Manifest.ProjectResources())
        {
            Assert.Equal($"catsyphon-{service}:{DeploymentFiles.ReleaseVersion()}", services[service]!["image"]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public async Task A_missing_secret_stops_compose_naming_the_variable(string variable)
    {
        var folder = Directory.CreateTempSubdirectory("catsyphon-env-");
        try
        {
            var withoutIt = Path.Combine(folder.FullName, ".env");
            var lines = await File.ReadAllLinesAsync(ExampleEnvironment);
            await File.WriteAllLinesAsync(withoutIt, lines.Where(line => !line.StartsWith($"{variable}=", StringComparison.Ordinal)));

            var run = await ComposeConfigAsync(withoutIt);

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains($"set {variable} in .env", run.Errors);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static TheoryData<string> Secrets() => new(RequiredSecrets);

    private static string ExampleEnvironment => Path.Combine(ComposeFolder, ".env.example");

    private static async Task<JsonObject> RenderAsync()
    {
        var run = await ComposeConfigAsync(ExampleEnvironment);
        Assert.True(run.ExitCode == 0, run.Errors);
        return Assert.IsType<JsonObject>(DeploymentFiles.YamlDocuments(run.Output).Single()["services"]);
    }

    /// <summary>
    /// <c>docker-compose config</c> with only <paramref name="environmentFile"/>: the variables it interpolates are taken
    /// out of the tool's own environment, which would win over the file.
    /// </summary>
    private static Task<ToolRun> ComposeConfigAsync(string environmentFile)
    {
        var variables = File.ReadAllLines(ExampleEnvironment).Where(line => line.Contains('=') && !line.StartsWith('#'))
            .ToDictionary(line => line[..line.IndexOf('=')], string? (_) => null);
        return ToolRun.RunAsync("docker-compose", ["-f", Path.Combine(ComposeFolder, "compose.yaml"), "--env-file", environmentFile, "config"], variables);
    }

    private static string DevelopmentPort(string service)
    {
        using var launchSettings = JsonDocument.Parse(File.ReadAllText(
            Path.Combine(RepositoryRoot.Path, ProjectFolderOf[service], "Properties", "launchSettings.json")));
        var url = launchSettings.RootElement.GetProperty("profiles").EnumerateObject().First().Value.GetProperty("applicationUrl").GetString()!;
        return new Uri(url.Split(';')[0]).Port.ToString();
    }
}
