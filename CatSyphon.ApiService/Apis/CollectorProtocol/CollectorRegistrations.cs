using System.Text.Json;
using CatSyphon.Protocol;
using Microsoft.AspNetCore.Authentication;

namespace CatSyphon.ApiService.Apis.CollectorProtocol;

/// <summary>What a registration must hold, who may register in a workspace, and the collector it creates.</summary>
internal static class CollectorRegistrations
{
    public static Dictionary<string, string[]> Validate(RegisterCollectorRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        Require(request.CollectorType, "collector_type", ColumnLimits.Label, errors);
        Require(request.CollectorVersion, "collector_version", ColumnLimits.Label, errors);
        Require(request.Hostname, "hostname", ColumnLimits.Hostname, errors);
        if (request.WorkspaceId == Guid.Empty)
        {
            errors["workspace_id"] = ["workspace_id is required."];
        }

        if (request.Metadata is { } metadata && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            errors["metadata"] = ["metadata must be a JSON object."];
        }

        return errors;
    }

    /// <summary>Who registers (for the audit log) and the person the collector will belong to, if any.</summary>
    public readonly record struct Registrant(string Actor, Guid? UserId);

    /// <summary>
    /// Who may register here: the admin token; a person with at least the member role in the workspace (the collector is
    /// theirs); the holder of a live enrollment token of this workspace (the collector is the token creator's when the
    /// token is personal); or anyone when the workspace is open. Null: nobody the workspace accepts.
    /// </summary>
    public static async Task<Registrant?> AuthorizeAsync(
        HttpContext context, CatSyphonDbContext db, Workspace workspace, TimeProvider time, CancellationToken cancellationToken)
    {
        if ((await context.AuthenticateAsync(AdminTokenAuthenticationHandler.SchemeName)).Succeeded)
        {
            return new Registrant(AdminTokenAuthenticationHandler.Actor, null);
        }

        if ((await context.AuthenticateAsync(PersonTokenAuthenticationHandler.SchemeName)).Principal is { } person
            && Caller.From(person) is { UserId: { } userId } caller
            && await WorkspaceRoles.FindAsync(db, caller, workspace.Id, cancellationToken) is { Role: >= WorkspaceRole.Member })
        {
            return new Registrant(caller.Actor, userId);
        }

        if (BearerToken.TryRead(context.Request, out var token) && EnrollmentTokens.IsWellFormed(token))
        {
            var hash = EnrollmentTokens.Hash(token);
            var now = time.GetUtcNow();
            var enrollment = await db.EnrollmentTokens.AsNoTracking()
                .Where(t => t.TokenHash == hash && t.WorkspaceId == workspace.Id && t.RevokedAt == null && t.ExpiresAt > now)
                .Select(t => new { t.Id, t.UserId })
                .FirstOrDefaultAsync(cancellationToken);
            if (enrollment is not null)
            {
                return new Registrant($"enrollment:{enrollment.Id}", enrollment.UserId);
            }
        }

        return workspace.CollectorRegistration == CollectorRegistration.Open ? new Registrant("anonymous", null) : null;
    }

    /// <summary>The collector of a valid registration, with its new key (only its hash is stored).</summary>
    public static (Collector Collector, string Key) Create(RegisterCollectorRequest request, Guid workspaceId, Guid? userId, DateTimeOffset now)
    {
        var key = CollectorKeys.Generate();
        var collector = new Collector
        {
            WorkspaceId = workspaceId,
            CollectorType = request.CollectorType!.Trim(),
            CollectorVersion = request.CollectorVersion!.Trim(),
            Hostname = request.Hostname!.Trim(),
            Metadata = request.Metadata is { ValueKind: JsonValueKind.Object } value ? ProtocolJsonSanitizer.Sanitize(value, "metadata", warnings: null) : null,
            ApiKeyHash = CollectorKeys.Hash(key),
            ApiKeyPrefix = CollectorKeys.Prefix(key),
            CreatedAt = now,
            UserId = userId,
        };
        return (collector, key);
    }

    private static void Require(string? value, string field, int maxLength, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength)
        {
            errors[field] = [$"{field} is required: 1 to {maxLength} characters."];
        }
    }
}
