namespace CatSyphon.AppHost;

internal static class ProjectResourceExtensions
{
    /// <summary>Settings every CatSyphon service gets from the app host.</summary>
    public static IResourceBuilder<ProjectResource> WithCatSyphonDefaults(this IResourceBuilder<ProjectResource> project) =>
        // Without a short export timeout each service waits 10 s at shutdown to flush telemetry.
        project.WithEnvironment("OTEL_EXPORTER_OTLP_TIMEOUT", "1000");
}
