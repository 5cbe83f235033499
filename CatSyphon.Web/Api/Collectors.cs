namespace CatSyphon.Web.Api;

public sealed record CollectorSummary(
    Guid Id, string CollectorType, string CollectorVersion, string Hostname, string ApiKeyPrefix, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSeenAt, bool Stale, long Sessions, long Events, DateTimeOffset? RevokedAt, DateTimeOffset? DisabledAt,
    int? LastQueueDepth)
{
    public string State => RevokedAt is not null ? "revoked" : DisabledAt is not null ? "disabled" : "active";
}

/// <summary>A collector key, shown once: at registration or rotation.</summary>
public sealed record IssuedCollectorKey(Guid CollectorId, string ApiKey, string ApiKeyPrefix);

/// <summary>/api/collectors (admin) and /collectors (registration).</summary>
public static class CollectorsApi
{
    public static Task<List<CollectorSummary>> ListCollectorsAsync(this CatSyphonApi api, Guid workspaceId, CancellationToken cancellationToken = default) =>
        api.GetAsync<List<CollectorSummary>>($"/api/collectors{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    /// <summary>Registers a collector with the admin token, for collectors that are configured by hand with a key.</summary>
    public static Task<IssuedCollectorKey> RegisterCollectorAsync(
        this CatSyphonApi api, Guid workspaceId, string hostname, string collectorType, CancellationToken cancellationToken = default) =>
        api.PostAsync<IssuedCollectorKey>("/collectors", new
        {
            workspace_id = workspaceId, hostname, collector_type = collectorType, collector_version = "registered-in-web",
        }, cancellationToken);

    public static Task<IssuedCollectorKey> RotateCollectorKeyAsync(this CatSyphonApi api, Guid collectorId, CancellationToken cancellationToken = default) =>
        api.PostAsync<IssuedCollectorKey>($"/api/collectors/{collectorId}/rotate-key", new { grace_seconds = 0 }, cancellationToken);

    public static Task RevokeCollectorAsync(this CatSyphonApi api, Guid collectorId, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Post, $"/api/collectors/{collectorId}/revoke", cancellationToken);

    public static Task SetCollectorEnabledAsync(this CatSyphonApi api, Guid collectorId, bool enabled, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Post, $"/api/collectors/{collectorId}/{(enabled ? "enable" : "disable")}", cancellationToken);

    public static Task DeleteCollectorAsync(this CatSyphonApi api, Guid collectorId, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Delete, $"/api/collectors/{collectorId}", cancellationToken);
}
