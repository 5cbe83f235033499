using System.Net.Http;
using System.Net.Sockets;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>How PostgreSQL and Redis are run: as containers, or as the machine's own binaries.</summary>
public enum InfrastructureMode
{
    Containers,
    Local,
}

public static class InfrastructureModeSelector
{
    /// <summary>Configuration key that overrides the automatic choice: <c>containers</c> or <c>local</c>.</summary>
    public const string ConfigurationKey = "Infrastructure:Mode";

    private const string DockerSocketPath = "/var/run/docker.sock";

    /// <summary>
    /// Publishing always describes containers. Otherwise configuration decides, and without it containers are
    /// used only when a container runtime actually answers: a Docker client without an engine would leave
    /// the app host waiting forever on unhealthy containers.
    /// </summary>
    public static InfrastructureMode Select(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return InfrastructureMode.Containers;
        }

        var configured = builder.Configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode)
                ? mode
                : throw new InvalidOperationException(
                    $"'{configured}' is not a valid {ConfigurationKey}; use 'containers' or 'local'.");
        }

        return ContainerRuntimeAnswers() ? InfrastructureMode.Containers : InfrastructureMode.Local;
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
