namespace CatSyphon.IntegrationTests.Scale;

/// <summary>
/// The own addresses of a service's replicas, beside the proxy the app host puts in front of them: each replica's
/// resource snapshot carries the <c>ASPNETCORE_URLS</c> it was started with.
/// </summary>
public static class ReplicaEndpoints
{
    public static async Task<IReadOnlyList<Uri>> OfAsync(CatSyphonApp app, string service, int replicas)
    {
        using var timeout = new CancellationTokenSource(CatSyphonApp.StartTimeout);
        var found = new Dictionary<string, Uri>();
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
                if (!string.IsNullOrEmpty(urls))
                {
                    found[update.ResourceId] = new Uri(urls.Split(';')[0].Replace("+", "localhost", StringComparison.Ordinal));
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
