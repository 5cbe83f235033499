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

    /// <summary>Who may register here: the admin, the holder of a live enrollment token of this workspace, or anyone when it is open.</summary>
    public static async Task<string?> AuthorizeAsync(
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

    /// <summary>The collector of a valid registration, with its new key (only its hash is stored).</summary>
    public static (Collector Collector, string Key) Create(RegisterCollectorRequest request, Guid workspaceId, DateTimeOffset now)
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
