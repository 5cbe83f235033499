namespace CatSyphon.AppHost;

/// <summary>
/// The optional LLM: its key is the secret parameter <c>llm-api-key</c>, added only when the app host's configuration
/// holds one (user secrets <c>Parameters:llm-api-key</c>, or <c>Parameters__llm-api-key</c> in the environment), so a
/// run without one asks for nothing and the LLM job is simply off. The other settings come from the app host's
/// <c>Llm</c> section (<c>BaseUrl</c>, <c>Model</c>, <c>MonthlyTokenBudget</c>...).
/// </summary>
internal static class LlmSettingsExtensions
{
    public const string ApiKeyParameter = "llm-api-key";

    private const string Section = "Llm";

    public static IResourceBuilder<ParameterResource>? AddOptionalLlmApiKey(this IDistributedApplicationBuilder builder) =>
        string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{ApiKeyParameter}"]) ? null : builder.AddParameter(ApiKeyParameter, secret: true);

    /// <summary>The worker calls the LLM: it gets the key and the <c>Llm</c> section.</summary>
    public static IResourceBuilder<ProjectResource> WithLlmKey(
        this IResourceBuilder<ProjectResource> project, IConfiguration configuration, IResourceBuilder<ParameterResource>? apiKey) =>
        apiKey is null ? project : project.WithLlmSection(configuration).WithEnvironment($"{Section}__ApiKey", apiKey);

    /// <summary>The API reports the LLM's status and budgets: it gets the <c>Llm</c> section and that one is configured, never the key.</summary>
    public static IResourceBuilder<ProjectResource> WithLlmStatus(
        this IResourceBuilder<ProjectResource> project, IConfiguration configuration, IResourceBuilder<ParameterResource>? apiKey) =>
        apiKey is null ? project : project.WithLlmSection(configuration).WithEnvironment($"{Section}__Configured", "true");

    private static IResourceBuilder<ProjectResource> WithLlmSection(this IResourceBuilder<ProjectResource> project, IConfiguration configuration)
    {
        foreach (var (key, value) in configuration.GetSection(Section).AsEnumerable(makePathsRelative: true))
        {
            if (value is not null && !key.Equals("ApiKey", StringComparison.OrdinalIgnoreCase))
            {
                project.WithEnvironment($"{Section}__{key.Replace(":", "__", StringComparison.Ordinal)}", value);
            }
        }

        return project;
    }
}
