namespace CatSyphon.AppHost;

/// <summary>
/// How many processes of each service the app host runs (<c>Scale:ApiReplicas</c>, environment <c>Scale__ApiReplicas</c>;
/// likewise the worker and the web). Each defaults to 1. Every service keeps what replicas share in Redis or PostgreSQL,
/// so any count works; the bound keeps a typo (100 instead of 10) from starting a machine's worth of processes.
/// </summary>
internal static class ScaleSettings
{
    public const string ApiReplicasKey = "Scale:ApiReplicas";
    public const string WorkerReplicasKey = "Scale:WorkerReplicas";
    public const string WebReplicasKey = "Scale:WebReplicas";

    private const int MaximumReplicas = 16;

    /// <summary>Runs the configured number of replicas of <paramref name="project"/>; one needs no annotation.</summary>
    public static IResourceBuilder<ProjectResource> WithConfiguredReplicas(
        this IResourceBuilder<ProjectResource> project, IConfiguration configuration, string key)
    {
        var replicas = Replicas(configuration, key);
        return replicas == 1 ? project : project.WithReplicas(replicas);
    }

    /// <summary>The setting's value, refused with a message naming it when it is not a whole number from 1 to 16.</summary>
    internal static int Replicas(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return 1;
        }

        return int.TryParse(value.Trim(), out var replicas) && replicas is >= 1 and <= MaximumReplicas
            ? replicas
            : throw new InvalidOperationException(
                $"'{value}' is not a valid {key} (environment {key.Replace(":", "__", StringComparison.Ordinal)}): " +
                $"give a whole number of processes from 1 to {MaximumReplicas}.");
    }
}
