using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// The API, worker, web front end and dashboard listen on fixed development ports (their launch profiles). When
/// another process holds one, the orchestrator retries for ever and nothing says why, so the ports are tried
/// before anything starts.
/// </summary>
internal static class FixedPortPreflight
{
    private const string DashboardResource = "aspire-dashboard";

    /// <summary>The app host's own settings for the addresses the dashboard and its resource service listen on.</summary>
    private static readonly string[] DashboardUrlSettings =
    [
        "ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL",
    ];

    public static IDistributedApplicationBuilder StopsWhenAFixedPortIsTaken(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }

        var failures = builder.AddLocalServerStartFailures();
        // Tests have the orchestrator pick free ports in place of the launch profiles' ones.
        var randomized = builder.Configuration.GetValue<bool>("DcpPublisher:RandomizePorts");
        builder.Eventing.Subscribe<BeforeStartEvent>(async (@event, cancellationToken) =>
        {
            var listeners = @event.Model.Resources
                .SelectMany(resource => resource.Annotations.OfType<EndpointAnnotation>()
                    .Select(endpoint => (Name: resource.Name, Host: endpoint.TargetHost, Port: endpoint.IsProxied ? (randomized ? null : endpoint.Port) : endpoint.TargetPort)))
                .Concat(DashboardUrlSettings
                    .SelectMany(setting => (builder.Configuration[setting] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                    .Select(url => Uri.TryCreate(url.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri)
                        ? (Name: DashboardResource, Host: uri.Host, Port: (int?)uri.Port)
                        : (Name: DashboardResource, Host: "", Port: null)));

            foreach (var (name, host, port) in listeners)
            {
                if (port is > 0 and var fixedPort && !await CanListenAsync(host, fixedPort, cancellationToken))
                {
                    var holder = PortHolder(fixedPort);
                    await failures.ReportAsync(@event.Services, name, new LocalServerStartException(
                        $"Port {fixedPort}, where {name} listens, is taken by {holder?.Description ?? "another process"}.",
                        $"stop {(holder is { } process ? $"that process ('kill {process.Pid}')" : $"the process that listens on {fixedPort} ('ss -ltnp | grep :{fixedPort}')")} " +
                        "and start the app host again; the development ports are set in each project's Properties/launchSettings.json."));
                    return;
                }
            }
        });
        return builder;
    }

    /// <summary>
    /// Whether a listener can bind the port. A refusal is asked again a few times: app hosts starting side by side (tests)
    /// probe the same dashboard URLs for an instant, while a real holder keeps the port.
    /// </summary>
    private static async Task<bool> CanListenAsync(string host, int port, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (TryListen(host, port))
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    private static bool TryListen(string host, int port)
    {
        var address = host is "localhost" or "" ? IPAddress.Loopback : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : IPAddress.Any;
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
    }

    /// <summary>The process listening on <paramref name="port"/>, from the kernel's socket tables (readable for every process as root).</summary>
    private static (int Pid, string Description)? PortHolder(int port)
    {
        var suffix = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            // local_address ends with the port; state 0A is LISTEN; the inode is the tenth column.
            .Where(columns => columns.Length > 9 && columns[1].EndsWith(suffix, StringComparison.Ordinal) && columns[3] == "0A")
            .Select(columns => $"socket:[{columns[9]}]")
            .ToHashSet();

        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(process), out var pid) && OpenSockets(process).Any(inodes.Contains))
            {
                var command = File.Exists($"{process}/comm") ? File.ReadAllText($"{process}/comm").Trim() : "?";
                return (pid, $"'{command}' (pid {pid})");
            }
        }

        return null;
    }

    private static IEnumerable<string> OpenSockets(string process)
    {
        try
        {
            return Directory.EnumerateFiles($"{process}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "").ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process exited, or is someone else's.
            return [];
        }
    }
}
