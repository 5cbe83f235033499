using System.Text.Json;

namespace CatSyphon.ApiService.Infrastructure;

internal static class AuditTrail
{
    /// <summary>Adds an audit entry to the context; it is saved with the change it describes. Never pass a secret.</summary>
    public static void Record(CatSyphonDbContext db, Guid? workspaceId, string actor, string action, string targetType, Guid targetId, object? details = null) =>
        db.AuditLog.Add(new AuditLogEntry
        {
            WorkspaceId = workspaceId,
            Actor = actor,
            Action = action,
            TargetType = targetType,
            TargetId = targetId.ToString(),
            Details = details is null ? null : JsonSerializer.Serialize(details, ApiJson.Options),
        });
}
