using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CatSyphon.ApiService.Apis;

public sealed record CollectorSummary(
    Guid Id, Guid WorkspaceId, string CollectorType, string CollectorVersion, string Hostname, string ApiKeyPrefix,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSeenAt, bool Stale, long Sessions, long Events,
    DateTimeOffset? RevokedAt, DateTimeOffset? DisabledAt, int? LastQueueDepth);

public sealed record RotateKeyRequest(int? GraceSeconds);

public sealed record RotateKeyResponse(Guid CollectorId, string ApiKey, string ApiKeyPrefix, DateTimeOffset? PreviousKeyExpiresAt);
