using System.Net;
using System.Net.Http.Json;

namespace CatSyphon.Web.Services;

/// <summary>What the web front end knows of the API's readiness.</summary>
public sealed record ApiStatus(bool Reachable, bool Ready, IReadOnlyDictionary<string, string> Checks, string? Problem);

public sealed class ApiStatusClient(HttpClient httpClient, ILogger<ApiStatusClient> logger)
{
    public async Task<ApiStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await httpClient.GetAsync(Extensions.ReadinessPath, cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
            {
                return new ApiStatus(true, false, new Dictionary<string, string>(), $"The API answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var report = await response.Content.ReadFromJsonAsync<HealthReportBody>(cancellationToken);
            return new ApiStatus(true, response.IsSuccessStatusCode, report?.Checks ?? new Dictionary<string, string>(), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(exception, "The API did not answer its readiness probe.");
            return new ApiStatus(false, false, new Dictionary<string, string>(), "The API cannot be reached right now.");
        }
    }
}
