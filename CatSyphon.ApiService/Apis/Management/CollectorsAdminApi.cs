using System.Security.Claims;
using CatSyphon.ApiService.Ingestion;

namespace CatSyphon.ApiService.Apis.Management;

/// <summary>The admin side of collectors: list, rotate keys, revoke, delete (revoke and hide).</summary>
public static class CollectorsAdminApi
{
    private const int MaxGraceSeconds = 7 * 24 * 3600;

    public static RouteGroupBuilder MapCollectorsAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/collectors", "Collectors");

        api.MapGet("/", ListCollectors).RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("List a workspace's collectors with last contact, staleness and counts");
        api.MapPost("/{id:guid}/rotate-key", RotateKey).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.CollectorRoute).WithSummary("Issue a new key; the old one stops at once unless grace_seconds is given");
        api.MapPost("/{id:guid}/revoke", Revoke).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.CollectorRoute).WithSummary("Revoke a collector's key");
        api.MapPost("/{id:guid}/disable", Disable).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.CollectorRoute).WithSummary("Refuse a collector (403) without revoking its key");
        api.MapPost("/{id:guid}/enable", Enable).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.CollectorRoute).WithSummary("Accept a disabled collector again");
        api.MapDelete("/{id:guid}", Delete).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.CollectorRoute).WithSummary("Revoke a collector and hide it from lists; its data stays");

        return api;
    }

    public static async Task<Results<Ok<List<CollectorSummary>>, ProblemHttpResult>> ListCollectors(
        [AsParameters] WorkspaceScope workspace, CatSyphonDbContext db, IOptions<CollectorOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {

        var staleBefore = time.GetUtcNow() - options.Value.StaleAfter;
        var collectors = await db.Collectors.AsNoTracking()
            .Where(c => c.WorkspaceId == workspace.Id && c.HiddenAt == null)
            .OrderBy(c => c.CreatedAt)
            .Select(c => new CollectorSummary(
                c.Id, c.WorkspaceId, c.CollectorType, c.CollectorVersion, c.Hostname, c.ApiKeyPrefix, c.CreatedAt, c.LastSeenAt,
                c.LastSeenAt == null || c.LastSeenAt < staleBefore, c.SessionCount, c.EventCount, c.RevokedAt, c.DisabledAt, c.LastQueueDepth))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(collectors);
    }

    public static async Task<Results<Ok<RotateKeyResponse>, ProblemHttpResult>> RotateKey(
        Guid id, RotateKeyRequest? request, ClaimsPrincipal user, CatSyphonDbContext db, CollectorKeyCache keys, AuditTrail audit, CollectorEvents events,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var grace = request?.GraceSeconds ?? 0;
        if (grace is < 0 or > MaxGraceSeconds)
        {
            return ApiProblems.Validation("grace_seconds", $"grace_seconds must be between 0 and {MaxGraceSeconds}.");
        }

        var collector = await db.Collectors.FirstOrDefaultAsync(c => c.Id == id && c.HiddenAt == null, cancellationToken);
        if (collector is null)
        {
            return ApiProblems.CollectorNotFound(id);
        }

        if (collector.RevokedAt is not null)
        {
            return ApiProblems.Conflict($"Collector {id} is revoked; register a new collector instead.");
        }

        var key = Protocol.CollectorKeys.Generate();
        collector.PreviousApiKeyHash = grace > 0 ? collector.ApiKeyHash : null;
        collector.PreviousKeyExpiresAt = grace > 0 ? time.GetUtcNow().AddSeconds(grace) : null;
        collector.ApiKeyHash = Protocol.CollectorKeys.Hash(key);
        collector.ApiKeyPrefix = Protocol.CollectorKeys.Prefix(key);
        audit.Record(db, collector.WorkspaceId, "collector.key_rotated", "collector", id,
            new { collector.ApiKeyPrefix, grace_seconds = grace });
        await db.SaveChangesAsync(cancellationToken);
        await keys.InvalidateAsync(id);
        events.KeyRotated(id, Actors.Of(user), collector.ApiKeyPrefix, grace);

        return TypedResults.Ok(new RotateKeyResponse(id, key, collector.ApiKeyPrefix, collector.PreviousKeyExpiresAt));
    }

    public static Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, CatSyphonDbContext db, CollectorKeyCache keys, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken) =>
        RevokeAsync(id, hide: false, db, keys, audit, time, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, CatSyphonDbContext db, CollectorKeyCache keys, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken) =>
        RevokeAsync(id, hide: true, db, keys, audit, time, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> Disable(Guid id, CatSyphonDbContext db, CollectorKeyCache keys, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken) =>
        SetDisabledAsync(id, disabled: true, db, keys, audit, time, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> Enable(Guid id, CatSyphonDbContext db, CollectorKeyCache keys, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken) =>
        SetDisabledAsync(id, disabled: false, db, keys, audit, time, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> SetDisabledAsync(
        Guid id, bool disabled, CatSyphonDbContext db, CollectorKeyCache keys, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var collector = await db.Collectors.FirstOrDefaultAsync(c => c.Id == id && c.HiddenAt == null, cancellationToken);
        if (collector is null)
        {
            return ApiProblems.CollectorNotFound(id);
        }

        collector.DisabledAt = disabled ? collector.DisabledAt ?? time.GetUtcNow() : null;
        audit.Record(db, collector.WorkspaceId, disabled ? "collector.disabled" : "collector.enabled", "collector", id);
        await db.SaveChangesAsync(cancellationToken);
        await keys.InvalidateAsync(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid id, bool hide, CatSyphonDbContext db, CollectorKeyCache keys, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var collector = await db.Collectors.FirstOrDefaultAsync(c => c.Id == id && c.HiddenAt == null, cancellationToken);
        if (collector is null)
        {
            return ApiProblems.CollectorNotFound(id);
        }

        var now = time.GetUtcNow();
        collector.RevokedAt ??= now;
        collector.PreviousApiKeyHash = null;
        collector.PreviousKeyExpiresAt = null;
        if (hide)
        {
            collector.HiddenAt = now;
        }

        audit.Record(db, collector.WorkspaceId, hide ? "collector.deleted" : "collector.revoked", "collector", id);
        await db.SaveChangesAsync(cancellationToken);
        await keys.InvalidateAsync(id);
        return TypedResults.NoContent();
    }

}
