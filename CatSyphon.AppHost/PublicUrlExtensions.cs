namespace CatSyphon.AppHost;

internal static class PublicUrlExtensions
{
    /// <summary>The configuration key of the parameter (<c>Parameters:public-url</c>, environment <c>Parameters__public-url</c>).</summary>
    public static readonly string ConfigurationKey = $"Parameters:{ResourceNames.PublicUrl}";

    /// <summary>
    /// The address people and collectors use (<c>https://catsyphon.example.com</c>), as the parameter
    /// <c>public-url</c>: always when publishing (azd asks for it), and for a run only when it is configured, since a
    /// developer's machine is reached at the API's own endpoint.
    /// </summary>
    public static IResourceBuilder<ParameterResource>? AddPublicUrl(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsPublishMode || !string.IsNullOrWhiteSpace(builder.Configuration[ConfigurationKey])
            ? builder.AddParameter(ResourceNames.PublicUrl)
            : null;

    /// <summary>Gives a service the public address (<c>PublicUrl</c>: OpenAPI servers, the register commands) when there is one.</summary>
    public static IResourceBuilder<ProjectResource> WithPublicUrl(this IResourceBuilder<ProjectResource> project, IResourceBuilder<ParameterResource>? publicUrl) =>
        publicUrl is null ? project : project.WithEnvironment("PublicUrl", publicUrl);

    /// <summary>
    /// Where the web's register commands send collectors: the public address when there is one (the web reads
    /// <c>PublicUrl</c>), otherwise the API's own http endpoint, as a developer's machine reaches it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCollectorServerUrl(
        this IResourceBuilder<ProjectResource> web, IResourceBuilder<ParameterResource>? publicUrl, IResourceBuilder<ProjectResource> api) =>
        publicUrl is null ? web.WithEnvironment("CollectorSetup__ServerUrl", api.GetEndpoint("http")) : web.WithPublicUrl(publicUrl);
}
