using System.Net.Http;
using System.Net.Sockets;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>How PostgreSQL and Redis are run: as containers, as the machine's own binaries, or elsewhere.</summary>
public enum InfrastructureMode
{
    Containers,
    Local,

    /// <summary>
    /// Servers run outside the app host (managed Azure Database for PostgreSQL and Azure Cache for Redis in
    /// production): the app host takes their connection strings as secret parameters and starts neither.
    /// </summary>
    External,
}

public static class InfrastructureModeSelector
{
    /// <summary>Configuration key that overrides the automatic choice: <c>containers</c>, <c>local</c> or <c>external</c>.</summary>
    public const string ConfigurationKey = "Infrastructure:Mode";

    private const string DockerSocketPath = "/var/run/docker.sock";

    /// <summary>
    /// Publishing describes containers unless external servers are configured (the production choice for
    /// <c>azd up</c>): local processes exist only on this machine. Otherwise configuration decides, and without
    /// it containers are used only when a container runtime actually answers: a Docker client without an engine
    /// would leave the app host waiting forever on unhealthy containers.
    /// </summary>
    public static InfrastructureMode Select(IDistributedApplicationBuilder builder)
    {
        var configured = Configured(builder.Configuration);
        if (builder.ExecutionContext.IsPublishMode)
        {
            return configured == InfrastructureMode.External ? InfrastructureMode.External : InfrastructureMode.Containers;
        }

        return configured ?? (ContainerRuntimeAnswers() ? InfrastructureMode.Containers : InfrastructureMode.Local);
    }

    private static InfrastructureMode? Configured(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        return Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException(
                $"'{configured}' is not a valid {ConfigurationKey}; use 'containers', 'local' or 'external'.");
    }

    private static bool ContainerRuntimeAnswers()
    {
        if (!File.Exists(DockerSocketPath))
        {
            return false;
        }

        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(DockerSocketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = client.GetAsync("http://docker/_ping").GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or SocketException)
        {
            return false;
        }
    }
}
