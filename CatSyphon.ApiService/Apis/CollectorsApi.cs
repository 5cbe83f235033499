using System.Security.Claims;
using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.Data;
using CatSyphon.Protocol;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

/// <summary>The collector side of the protocol: registration, self-check and heartbeat.</summary>
public static class CollectorsApi
{
    /// <summary>Registration is read before it is authorized (an open workspace needs no token), so its body is kept tiny.</summary>
    public const long RegistrationMaxBytes = 8 * 1024;

    public static RouteGroupBuilder MapCollectorsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/collectors").WithTags("Collector protocol");

        api.MapPost("/", Register)
            .AllowAnonymous()
            .WithBodyLimit(RegistrationMaxBytes)
            .WithSummary("Register a collector (admin token, an enrollment token of the workspace, or an open workspace)");
        api.MapGet("/{collectorId:guid}", GetSelf)
            .RequireAuthorization(Policies.CollectorOrAdmin)
            .WithSummary("Verify a collector is active (its own key, or the admin token)");
        api.MapPost("/heartbeat", Heartbeat)
            .RequireAuthorization(Policies.Collector)
            .WithSummary("Report that the collector is alive, with its queue depth");

        return api;
    }

    public static async Task<Results<Created<RegisterCollectorResponse>, ProblemHttpResult>> Register(
        RegisterCollectorRequest request, HttpContext context, CatSyphonDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Require(request.CollectorType, "collector_type", ColumnLimits.Label, errors);
        Require(request.CollectorVersion, "collector_version", ColumnLimits.Label, errors);
        Require(request.Hostname, "hostname", ColumnLimits.Hostname, errors);
        if (request.WorkspaceId == Guid.Empty)
        {
            errors["workspace_id"] = ["workspace_id is required."];
        }

        if (request.Metadata is { } metadata && metadata.ValueKind is not (System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Null))
        {
            errors["metadata"] = ["metadata must be a JSON object."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == request.WorkspaceId, cancellationToken);
        if (workspace is null)
        {
            return WorkspacesApi.WorkspaceNotFound(request.WorkspaceId);
        }

        var actor = await AuthorizeRegistrationAsync(context, db, workspace, time, cancellationToken);
        if (actor is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Registering in this workspace needs the admin token or one of its enrollment tokens.");
        }

        var key = CollectorKeys.Generate();
        var collector = new Collector
        {
            WorkspaceId = workspace.Id,
            CollectorType = request.CollectorType!.Trim(),
            CollectorVersion = request.CollectorVersion!.Trim(),
            Hostname = request.Hostname!.Trim(),
            Metadata = request.Metadata is { ValueKind: System.Text.Json.JsonValueKind.Object } value ? ProtocolJsonSanitizer.Sanitize(value, "metadata", warnings: null) : null,
            ApiKeyHash = CollectorKeys.Hash(key),
            ApiKeyPrefix = CollectorKeys.Prefix(key),
            CreatedAt = time.GetUtcNow(),
        };
        db.Collectors.Add(collector);
        AuditTrail.Record(db, workspace.Id, actor, "collector.registered", "collector", collector.Id,
            new { collector.CollectorType, collector.CollectorVersion, collector.Hostname, collector.ApiKeyPrefix });
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Created($"/collectors/{collector.Id}",
            new RegisterCollectorResponse(collector.Id, key, collector.ApiKeyPrefix, workspace.Id, collector.CreatedAt));
    }

    public static async Task<Results<Ok<CollectorInfo>, ProblemHttpResult>> GetSelf(
        Guid collectorId, ClaimsPrincipal user, CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        // A collector sees only itself: another collector's id is as unknown as a missing one.
        if (CollectorIdentity.From(user) is { } caller && caller.CollectorId != collectorId)
        {
            return CollectorsAdminApi.CollectorNotFound(collectorId);
        }

        var collector = await db.Collectors.AsNoTracking().FirstOrDefaultAsync(c => c.Id == collectorId && c.HiddenAt == null, cancellationToken);
        if (collector is null)
        {
            return CollectorsAdminApi.CollectorNotFound(collectorId);
        }

        return TypedResults.Ok(new CollectorInfo(
            collector.Id, collector.WorkspaceId, collector.CollectorType, collector.CollectorVersion, collector.Hostname,
            collector.CreatedAt, collector.LastSeenAt, Active: collector.RevokedAt is null && collector.DisabledAt is null, collector.RevokedAt));
    }

    public static Results<Ok<HeartbeatResponse>, ProblemHttpResult> Heartbeat(
        HeartbeatRequest? request, ClaimsPrincipal user, CollectorContactTracker contacts, TimeProvider time)
    {
        if (request is not null && CollectorRequestValidator.Validate(request) is { Count: > 0 } errors)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>(errors));
        }

        var caller = CollectorIdentity.From(user)!;
        var queueDepth = request?.QueueDepth is { } depth ? (int)Math.Min(depth, int.MaxValue) : (int?)null;
        contacts.RecordHeartbeat(caller.CollectorId, queueDepth, request?.Status);
        return TypedResults.Ok(new HeartbeatResponse(time.GetUtcNow()));
    }

    /// <summary>Who may register here: the admin, the holder of a live enrollment token of this workspace, or anyone when it is open.</summary>
    private static async Task<string?> AuthorizeRegistrationAsync(
        HttpContext context, CatSyphonDbContext db, Workspace workspace, TimeProvider time, CancellationToken cancellationToken)
    {
        if ((await context.AuthenticateAsync(AdminTokenAuthenticationHandler.SchemeName)).Succeeded)
        {
            return AdminTokenAuthenticationHandler.Actor;
        }

        if (BearerToken.TryRead(context.Request, out var token) && EnrollmentTokens.IsWellFormed(token))
        {
            var hash = EnrollmentTokens.Hash(token);
            var now = time.GetUtcNow();
            var enrollment = await db.EnrollmentTokens.AsNoTracking()
                .Where(t => t.TokenHash == hash && t.WorkspaceId == workspace.Id && t.RevokedAt == null && t.ExpiresAt > now)
                .Select(t => (Guid?)t.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (enrollment is { } enrollmentId)
            {
                return $"enrollment:{enrollmentId}";
            }
        }

        return workspace.CollectorRegistration == CollectorRegistration.Open ? "anonymous" : null;
    }

    private static void Require(string? value, string field, int maxLength, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength)
        {
            errors[field] = [$"{field} is required: 1 to {maxLength} characters."];
        }
    }
}
