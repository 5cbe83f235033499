namespace CatSyphon.AppHost;

internal static class ProjectResourceExtensions
{
    /// <summary>Settings every CatSyphon service gets from the app host.</summary>
    public static IResourceBuilder<ProjectResource> WithCatSyphonDefaults(this IResourceBuilder<ProjectResource> project) =>
        // Without a short export timeout each service waits 10 s at shutdown to flush telemetry.
        project.WithEnvironment("OTEL_EXPORTER_OTLP_TIMEOUT", "1000");

    /// <summary>
    /// The app host's <c>Oidc</c> section (sign-in through an OpenID Connect provider), passed on as environment variables
    /// (<c>Oidc:Authority</c> becomes <c>Oidc__Authority</c>): the API and the web must agree on it, so it is given once.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOidcSettings(this IResourceBuilder<ProjectResource> project, IConfiguration configuration)
    {
        const string section = "Oidc";
        foreach (var (key, value) in configuration.GetSection(section).AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                project.WithEnvironment($"{section}__{key.Replace(":", "__", StringComparison.Ordinal)}", value);
            }
        }

        return project;
    }

    /// <summary>
    /// When a session counts as over (<c>Sessions:IdleAfter</c>, 30 minutes in the app host's appsettings.json): the API
    /// and the worker must read it alike, so the app host gives both the one value.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSessionSettings(this IResourceBuilder<ProjectResource> project, IConfiguration configuration)
    {
        const string idleAfter = "Sessions:IdleAfter";
        return configuration[idleAfter] is { Length: > 0 } value
            ? project.WithEnvironment(idleAfter.Replace(":", "__", StringComparison.Ordinal), value)
            : project;
    }
}
