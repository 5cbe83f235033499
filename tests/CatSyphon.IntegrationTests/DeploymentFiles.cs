using YamlDotNet.RepresentationModel;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// What the deployment files under deploy/ must carry of the app host's manifest: the services' environment variable
/// names, less the ones they deliberately leave out (<see cref="NotCarriedOver"/>, each with the reason).
/// </summary>
public static class DeploymentFiles
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot.Path, "deploy");

    /// <summary>Names the manifest gives services that compose and Kubernetes do not set, and why not.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotCarriedOver = new Dictionary<string, string>
    {
        // Aspire sets it for Azure Container Apps, whose ingress is the only way in. Published directly (compose) or
        // behind an Ingress, trusting X-Forwarded-For from anyone would let a caller pick the address that sign-in
        // limits count; trusted proxies are configured explicitly instead.
        ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "forwarded headers only from configured proxies",
        // Inside the compose network or the cluster the API speaks http; TLS ends at the proxy or Ingress.
        ["services__api__https__0"] = "the API has no https endpoint inside the deployment",
        // Aspire's service links for clients in other languages; the web resolves the API by services__api__http__0.
        ["API_HTTP"] = "service link for non-.NET clients",
        ["API_HTTPS"] = "service link for non-.NET clients",
        // Aspire's per-property connection variables for clients in other languages; the services read
        // ConnectionStrings__catsyphon and ConnectionStrings__redis, which hold the same.
        ["CATSYPHON_HOST"] = "part of ConnectionStrings__catsyphon",
        ["CATSYPHON_PORT"] = "part of ConnectionStrings__catsyphon",
        ["CATSYPHON_USERNAME"] = "part of ConnectionStrings__catsyphon",
        ["CATSYPHON_PASSWORD"] = "part of ConnectionStrings__catsyphon",
        ["CATSYPHON_URI"] = "ConnectionStrings__catsyphon as a URI",
        ["CATSYPHON_JDBCCONNECTIONSTRING"] = "ConnectionStrings__catsyphon for Java",
        ["CATSYPHON_DATABASENAME"] = "part of ConnectionStrings__catsyphon",
        ["REDIS_HOST"] = "part of ConnectionStrings__redis",
        ["REDIS_PORT"] = "part of ConnectionStrings__redis",
        ["REDIS_PASSWORD"] = "part of ConnectionStrings__redis",
        ["REDIS_URI"] = "ConnectionStrings__redis as a URI",
    };

    /// <summary>The environment variable names a deployment must give <paramref name="service"/>.</summary>
    public static IReadOnlyList<string> RequiredEnvironment(AppHostManifest manifest, string service) =>
        [.. manifest.Environment(service).Keys.Where(name => !NotCarriedOver.ContainsKey(name)).Order(StringComparer.Ordinal)];

    /// <summary>The release version in Directory.Build.props, which tags the images.</summary>
    public static string ReleaseVersion() =>
        System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Build.props")).Descendants("Version").Single().Value;

    /// <summary>Every YAML document of <paramref name="text"/> as JSON (scalars as strings), for querying.</summary>
    public static IReadOnlyList<JsonObject> YamlDocuments(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(document => ToJson(document.RootNode)).OfType<JsonObject>()];
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(
            child => KeyValuePair.Create(((YamlScalarNode)child.Key).Value!, ToJson(child.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };
}

/// <summary>A command line tool run to completion.</summary>
/// <param name="Environment">Variables set for the tool; a null value removes one the test process has.</param>
public sealed record ToolRun(int ExitCode, string Output, string Errors)
{
    /// <param name="workingDirectory">Where it runs (default: the test process's folder).</param>
    public static async Task<ToolRun> RunAsync(
        string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ToolRun(process.ExitCode, output, await errors);
    }
}

/// <summary>The manifest published once for a test class.</summary>
public sealed class PublishedManifest : IAsyncLifetime
{
    public AppHostManifest Manifest { get; private set; } = null!;

    public async Task InitializeAsync() => Manifest = await AppHostManifest.PublishAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
