namespace CatSyphon.IntegrationTests;

/// <summary>
/// deploy/kubernetes as <c>kubectl kustomize</c> renders it offline (the base, the production overlay with external
/// databases, the in-cluster overlay), held to the app host's manifest and to what a rollout needs.
/// </summary>
public sealed class KubernetesFilesTests(PublishedManifest published) : IClassFixture<PublishedManifest>
{
    private const string Base = "base";
    private const string Production = "overlays/production";
    private const string InCluster = "overlays/in-cluster";
    private const string PrepareStage = "catsyphon.io/stage";

    public static TheoryData<string> Kustomizations() => new(Base, Production, InCluster);

    public static TheoryData<string> Overlays() => new(Production, InCluster);

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Every_service_of_the_manifest_runs_with_the_environment_names_it_needs(string kustomization)
    {
        var rendered = await RenderAsync(kustomization);

        foreach (var service in published.Manifest.ProjectResources())
        {
            var workload = service == ResourceNames.Migrations ? rendered.Named("Job", "catsyphon-migrations") : rendered.Named("Deployment", $"catsyphon-{service}");
            var names = rendered.EnvironmentNames(Container(workload));
            var missing = DeploymentFiles.RequiredEnvironment(published.Manifest, service).Except(names);
            Assert.True(!missing.Any(), $"{kustomization}: {service} lacks {string.Join(", ", missing)}");
        }

        // The web reaches the API through the API's Service, on the port the API's pods listen on.
        var apiAddress = new Uri(rendered.ConfigValue(Container(rendered.Named("Deployment", "catsyphon-web")), "services__api__http__0"));
        var apiService = rendered.Named("Service", apiAddress.Host);
        Assert.Equal("catsyphon-api", apiService["spec"]!["selector"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Contains(apiService["spec"]!["ports"]!.AsArray(), port => port!["port"]!.GetValue<string>() == apiAddress.Port.ToString());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_secret_a_pod_reads_is_in_the_generated_secret(string overlay)
    {
        var rendered = await RenderAsync(overlay);

        var references = rendered.Objects.SelectMany(PodContainers).SelectMany(container => container["env"]?.AsArray() ?? [])
            .Select(variable => variable!["valueFrom"]?["secretKeyRef"]).OfType<JsonObject>()
            .Where(reference => reference["optional"]?.GetValue<string>() != "true");
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            var secret = rendered.Named("Secret", reference["name"]!.GetValue<string>());
            Assert.True(secret["data"]!.AsObject().ContainsKey(reference["key"]!.GetValue<string>()), $"{overlay}: no secret key {reference["key"]}");
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Deployments_run_two_replicas_at_least_with_resources_and_health_probes(string kustomization)
    {
        var rendered = await RenderAsync(kustomization);
        var deployments = rendered.OfKind("Deployment").ToList();

        Assert.Equal(["catsyphon-api", "catsyphon-web", "catsyphon-worker"], deployments.Select(Name).Order(StringComparer.Ordinal));
        foreach (var deployment in deployments)
        {
            var replicas = int.Parse(deployment["spec"]!["replicas"]!.GetValue<string>());
            Assert.True(kustomization == Base ? replicas == 2 : replicas >= 2, $"{Name(deployment)} runs {replicas} replicas");

            var container = Container(deployment);
            foreach (var bound in new[] { "requests", "limits" })
            {
                Assert.NotNull(container["resources"]![bound]!["cpu"]);
                Assert.NotNull(container["resources"]![bound]!["memory"]);
            }

            // The probes ask the port the service listens on (HTTP_PORTS), by the name the container gives it.
            var listening = rendered.ConfigValue(container, "HTTP_PORTS");
            foreach (var (probe, path) in new[] { ("livenessProbe", "/health"), ("readinessProbe", "/ready") })
            {
                var check = container[probe]!["httpGet"]!;
                Assert.Equal(path, check["path"]!.GetValue<string>());
                var port = container["ports"]!.AsArray().Single(port => port!["name"]!.GetValue<string>() == check["port"]!.GetValue<string>());
                Assert.Equal(listening, port!["containerPort"]!.GetValue<string>());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Disruption_budgets_and_autoscalers_target_the_deployments(string kustomization)
    {
        var rendered = await RenderAsync(kustomization);
        var podLabels = rendered.OfKind("Deployment").ToDictionary(Name, deployment => deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject());

        foreach (var deployment in podLabels.Keys)
        {
            var budget = rendered.Named("PodDisruptionBudget", deployment);
            Assert.All(budget["spec"]!["selector"]!["matchLabels"]!.AsObject(), label => Assert.Equal(label.Value!.GetValue<string>(), podLabels[deployment][label.Key]?.GetValue<string>()));
            Assert.Equal("1", budget["spec"]!["minAvailable"]!.GetValue<string>());
        }

        var autoscalers = rendered.OfKind("HorizontalPodAutoscaler").ToList();
        Assert.Equal(["catsyphon-api", "catsyphon-worker"], autoscalers.Select(hpa => hpa["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(autoscalers, hpa => Assert.Equal("2", hpa["spec"]!["minReplicas"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task The_ingress_ends_TLS_for_its_host_and_sends_the_api_paths_to_the_api(string kustomization)
    {
        var rendered = await RenderAsync(kustomization);
        var ingress = Assert.Single(rendered.OfKind("Ingress"));

        var tls = Assert.Single(ingress["spec"]!["tls"]!.AsArray())!;
        Assert.False(string.IsNullOrEmpty(tls["secretName"]?.GetValue<string>()));
        var rule = Assert.Single(ingress["spec"]!["rules"]!.AsArray())!;
        Assert.Contains(tls["hosts"]!.AsArray(), host => host!.GetValue<string>() == rule["host"]!.GetValue<string>());

        var backends = rule["http"]!["paths"]!.AsArray().ToDictionary(path => path!["path"]!.GetValue<string>(), path => path!["backend"]!["service"]!["name"]!.GetValue<string>());
        Assert.Equal("catsyphon-api", backends["/collectors"]);
        Assert.Equal("catsyphon-api", backends["/api"]);
        Assert.Equal("catsyphon-web", backends["/"]);
        Assert.All(backends.Values, service => rendered.Named("Service", service));

        // The public address the services give people and collectors is the Ingress's host.
        foreach (var setting in new[] { "PublicUrl", "CollectorSetup__ServerUrl" })
        {
            var address = new Uri(rendered.ConfigValue(Container(rendered.Named("Deployment", "catsyphon-web")), setting));
            Assert.Equal(("https", rule["host"]!.GetValue<string>()), (address.Scheme, address.Host));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_migration_job_and_what_it_needs_are_applied_first_the_deployments_after(string overlay)
    {
        var rendered = await RenderAsync(overlay);
        bool Prepared(JsonObject item) => item["metadata"]!["labels"]?[PrepareStage]?.GetValue<string>() == "prepare";

        var first = rendered.Objects.Where(Prepared).Select(item => item["kind"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "Job", "Secret", "ConfigMap" }, first);
        Assert.DoesNotContain(rendered.OfKind("Deployment"), Prepared);
        Assert.All(rendered.OfKind("StatefulSet"), statefulSet => Assert.True(Prepared(statefulSet)));
        Assert.Equal("Never", rendered.Named("Job", "catsyphon-migrations")["spec"]!["template"]!["spec"]!["restartPolicy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Production_uses_external_databases_and_release_images()
    {
        var rendered = await RenderAsync(Production);

        Assert.Empty(rendered.OfKind("StatefulSet"));
        Assert.Empty(rendered.OfKind("PersistentVolumeClaim"));
        foreach (var container in rendered.Objects.SelectMany(PodContainers))
        {
            Assert.EndsWith($":{DeploymentFiles.ReleaseVersion()}", container["image"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task In_cluster_databases_are_statefulsets_with_volumes_and_durable_redis()
    {
        var rendered = await RenderAsync(InCluster);

        var images = rendered.OfKind("StatefulSet").ToDictionary(Name, statefulSet =>
        {
            Assert.NotEmpty(statefulSet["spec"]!["volumeClaimTemplates"]!.AsArray());
            return Container(statefulSet)["image"]!.GetValue<string>();
        });
        Assert.Equal("postgres:15", images["catsyphon-postgres"]);
        Assert.Equal("redis:7", images["catsyphon-redis"]);
        Assert.Equal(published.Manifest.Arguments(ResourceNames.Postgres),
            Container(rendered.Named("StatefulSet", "catsyphon-postgres"))["args"]!.AsArray().Select(arg => arg!.GetValue<string>()));
        var redisArgs = string.Join(' ', Container(rendered.Named("StatefulSet", "catsyphon-redis"))["args"]!.AsArray().Select(arg => arg!.GetValue<string>()));
        Assert.Contains("--appendonly yes --appendfsync everysec", redisArgs);
        Assert.Contains("--maxmemory-policy noeviction", redisArgs);
    }

    private static string Name(JsonObject item) => item["metadata"]!["name"]!.GetValue<string>();

    private static JsonObject Container(JsonObject workload) => workload["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();

    private static IEnumerable<JsonObject> PodContainers(JsonObject item) =>
        item["spec"]?["template"]?["spec"]?["containers"]?.AsArray().OfType<JsonObject>() ?? [];

    /// <summary>
    /// Renders <paramref name="kustomization"/> from a copy of deploy/kubernetes in which each overlay's secrets.env is
    /// its committed secrets.env.example, as an operator's first step makes it.
    /// </summary>
    private static async Task<RenderedObjects> RenderAsync(string kustomization)
    {
        var copy = Directory.CreateTempSubdirectory("catsyphon-kustomize-");
        try
        {
            var source = Path.Combine(DeploymentFiles.Folder, "kubernetes");
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy.FullName, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, file.EndsWith("secrets.env.example", StringComparison.Ordinal) ? target[..^".example".Length] : target);
            }

            var run = await ToolRun.RunAsync("kubectl", ["kustomize", Path.Combine(copy.FullName, kustomization)]);
            Assert.True(run.ExitCode == 0, run.Errors);
            return new RenderedObjects(DeploymentFiles.YamlDocuments(run.Output));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }
}

/// <summary>The objects one kustomization renders.</summary>
internal sealed record RenderedObjects(IReadOnlyList<JsonObject> Objects)
{
    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(item => item["kind"]!.GetValue<string>() == kind);

    public JsonObject Named(string kind, string name) =>
        OfKind(kind).SingleOrDefault(item => item["metadata"]!["name"]!.GetValue<string>() == name)
        ?? throw new Xunit.Sdk.XunitException($"No {kind} named {name} is rendered.");

    /// <summary>The variable names a container gets: its own env and every key of the ConfigMaps it takes whole.</summary>
    public IReadOnlySet<string> EnvironmentNames(JsonObject container)
    {
        var own = (container["env"]?.AsArray() ?? []).Select(variable => variable!["name"]!.GetValue<string>());
        return own.Concat(ConfigMaps(container).SelectMany(map => map.Select(entry => entry.Key))).ToHashSet();
    }

    /// <summary>A value a container takes from its ConfigMaps.</summary>
    public string ConfigValue(JsonObject container, string name) =>
        ConfigMaps(container).Select(map => map[name]?.GetValue<string>()).SingleOrDefault(value => value is not null)
        ?? throw new Xunit.Sdk.XunitException($"No ConfigMap of the container gives {name}.");

    private IEnumerable<JsonObject> ConfigMaps(JsonObject container) =>
        (container["envFrom"]?.AsArray() ?? []).Select(source => source!["configMapRef"]?["name"]?.GetValue<string>()).OfType<string>()
            .Select(name => Named("ConfigMap", name)["data"]!.AsObject());
}
