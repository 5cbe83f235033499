namespace CatSyphon.IntegrationTests.Scale;

/// <summary>One healthy process of a replicated service: its resource id, its own address and its process id.</summary>
/// <param name="Address">Where the process itself listens, beside the proxy in front of all replicas.</param>
public sealed record Replica(string ResourceId, Uri Address, int ProcessId);

/// <summary>
/// The own addresses of a service's replicas, beside the proxy the app host puts in front of them: each replica's
/// resource snapshot carries the <c>ASPNETCORE_URLS</c> it was started with.
/// </summary>
public static class ReplicaEndpoints
{
    public static async Task<IReadOnlyList<Uri>> OfAsync(CatSyphonApp app, string service, int replicas) =>
        [.. (await HealthyAsync(app, service, replicas)).Select(replica => replica.Address)];

    /// <summary>Waits until <paramref name="replicas"/> processes of <paramref name="service"/> are healthy, and describes them.</summary>
    public static async Task<IReadOnlyList<Replica>> HealthyAsync(CatSyphonApp app, string service, int replicas)
    {
        using var timeout = new CancellationTokenSource(CatSyphonApp.StartTimeout);
        var found = new Dictionary<string, Replica>();
        var seen = new List<string>();
        try
        {
            await foreach (var update in app.Application.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (update.Resource.Name != service || update.Snapshot.HealthStatus != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                {
                    continue;
                }

                seen.Add($"{update.ResourceId}: {string.Join(", ", update.Snapshot.Urls.Select(url => url.Url))}");
                var urls = update.Snapshot.EnvironmentVariables.FirstOrDefault(variable => variable.Name == "ASPNETCORE_URLS")?.Value;
                var hasProcess = update.Snapshot.Properties.Any(property => property.Name == "executable.pid");
                if (!string.IsNullOrEmpty(urls) && hasProcess)
                {
                    var address = new Uri(urls.Split(';')[0].Replace("+", "localhost", StringComparison.Ordinal));
                    found[update.ResourceId] = new Replica(update.ResourceId, address, ResourceProcesses.ProcessId(update.Snapshot));
                }

                if (found.Count == replicas)
                {
                    return [.. found.Values];
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new InvalidOperationException($"{replicas} healthy replicas of {service} with their own address were not seen: {string.Join("; ", seen)}");
    }

    /// <summary>The same collector, talking to one replica's own address instead of the proxy.</summary>
    public static CollectorClient At(this CollectorClient collector, Uri replica)
    {
        var http = new HttpClient { BaseAddress = replica };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", collector.Key);
        return collector with { Http = http };
    }
}
