namespace CatSyphon.IntegrationTests;

/// <summary>
/// The app host's deployment manifest as <c>azd</c> reads it: the manifest publisher run as a process (as
/// <c>dotnet run -- --publisher manifest</c>), with the given environment on top of this machine's.
/// </summary>
public sealed class AppHostManifest(JsonElement resources)
{
    public JsonElement Resources { get; } = resources;

    public static async Task<AppHostManifest> PublishAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = Directory.CreateTempSubdirectory("catsyphon-manifest-");
        try
        {
            var manifestPath = Path.Combine(output.FullName, "aspire-manifest.json");
            var publisher = await ToolRun.RunAsync(
                "dotnet",
                [
                    "run", "--project", Projects.CatSyphon_AppHost.ProjectPath, "--no-build", "--no-launch-profile",
                    "--", "--publisher", "manifest", "--output-path", manifestPath,
                ],
                environment?.ToDictionary(variable => variable.Key, string? (variable) => variable.Value));
            Assert.True(publisher.ExitCode == 0, publisher.Output + publisher.Errors);

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
            return new AppHostManifest(manifest.RootElement.GetProperty("resources").Clone());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    public string Type(string resource) => Resources.GetProperty(resource).GetProperty("type").GetString()!;

    public bool Has(string resource) => Resources.TryGetProperty(resource, out _);

    /// <summary>A container's arguments, in order.</summary>
    public IReadOnlyList<string> Arguments(string resource) =>
        [.. Resources.GetProperty(resource).GetProperty("args").EnumerateArray().Select(argument => argument.GetString()!)];

    /// <summary>The names of the manifest's project resources: the services a deployment must run.</summary>
    public IReadOnlyList<string> ProjectResources() =>
        [.. Resources.EnumerateObject().Where(resource => Type(resource.Name).StartsWith("project.", StringComparison.Ordinal)).Select(resource => resource.Name)];

    /// <summary>The environment the manifest gives a resource: name to value expression.</summary>
    public IReadOnlyDictionary<string, string> Environment(string resource) =>
        Resources.GetProperty(resource).TryGetProperty("env", out var env)
            ? env.EnumerateObject().ToDictionary(variable => variable.Name, variable => variable.Value.GetString() ?? "")
            : new Dictionary<string, string>();
}
