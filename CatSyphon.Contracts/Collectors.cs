namespace CatSyphon.Contracts;

public sealed record CollectorSummary(
    Guid Id, Guid WorkspaceId, string CollectorType, string CollectorVersion, string Hostname, string ApiKeyPrefix,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSeenAt, bool Stale, long Sessions, long Events,
    DateTimeOffset? RevokedAt, DateTimeOffset? DisabledAt, int? LastQueueDepth);

public sealed record RotateKeyRequest(int? GraceSeconds);

public sealed record RotateKeyResponse(Guid CollectorId, string ApiKey, string ApiKeyPrefix, DateTimeOffset? PreviousKeyExpiresAt);
