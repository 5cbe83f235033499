using CatSyphon.Protocol;

namespace CatSyphon.Web.Api;

/// <summary>A collector key, shown once: at registration or rotation.</summary>
public sealed record IssuedCollectorKey(Guid CollectorId, string ApiKey, string ApiKeyPrefix);

/// <summary>/api/collectors (admin) and /collectors (registration).</summary>
public static class CollectorsClient
{
    public static Task<IReadOnlyList<CollectorSummary>> ListCollectorsAsync(this CatSyphonApi api, Guid workspaceId, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<CollectorSummary>>($"/api/collectors{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    /// <summary>Registers a collector with the admin token, for collectors that are configured by hand with a key.</summary>
    public static async Task<IssuedCollectorKey> RegisterCollectorAsync(
        this CatSyphonApi api, Guid workspaceId, string hostname, string collectorType, CancellationToken cancellationToken = default)
    {
        var registered = await api.PostAsync<RegisterCollectorResponse>(
            "/collectors", new RegisterCollectorRequest(collectorType, "registered-in-web", hostname, workspaceId, Metadata: null), cancellationToken);
        return new(registered.CollectorId, registered.ApiKey, registered.ApiKeyPrefix);
    }

    /// <summary>Whether the server offers the collector in its NuGet feed (see <see cref="CollectorFeed"/>).</summary>
    public static async Task<bool> OffersCollectorAsync(this CatSyphonApi api, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await api.GetAsync<CollectorFeedVersions>(CollectorFeed.VersionsPath(CollectorFeed.ToolPackageId), cancellationToken)).Versions.Count > 0;
        }
        catch (ApiException exception) when (exception.Failure == ApiFailure.NotFound)
        {
            return false;
        }
    }

    public static async Task<IssuedCollectorKey> RotateCollectorKeyAsync(this CatSyphonApi api, Guid collectorId, CancellationToken cancellationToken = default)
    {
        var rotated = await api.PostAsync<RotateKeyResponse>($"/api/collectors/{collectorId}/rotate-key", new RotateKeyRequest(GraceSeconds: 0), cancellationToken);
        return new(rotated.CollectorId, rotated.ApiKey, rotated.ApiKeyPrefix);
    }

    public static Task RevokeCollectorAsync(this CatSyphonApi api, Guid collectorId, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Post, $"/api/collectors/{collectorId}/revoke", cancellationToken);

    public static Task SetCollectorEnabledAsync(this CatSyphonApi api, Guid collectorId, bool enabled, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Post, $"/api/collectors/{collectorId}/{(enabled ? "enable" : "disable")}", cancellationToken);

    public static Task DeleteCollectorAsync(this CatSyphonApi api, Guid collectorId, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Delete, $"/api/collectors/{collectorId}", cancellationToken);
}
