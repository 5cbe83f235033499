using System.Text.Json;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// The audit log's writer for one request: who acted (a person, the admin token or a collector, from the request's
/// principal) and from which address. An entry is added to the context and saved with the change it describes.
/// Never pass a secret.
/// </summary>
public sealed class AuditTrail(IHttpContextAccessor accessor)
{
    public void Record(CatSyphonDbContext db, Guid? workspaceId, string action, string targetType, Guid targetId, object? details = null) =>
        RecordAs(db, CurrentActor(), workspaceId, action, targetType, targetId.ToString(), details);

    /// <summary>An entry for an actor the principal does not name (an enrollment token, a failed sign-in's account).</summary>
    public void RecordAs(CatSyphonDbContext db, string actor, Guid? workspaceId, string action, string targetType, string? targetId, object? details = null) =>
        db.AuditLog.Add(new AuditLogEntry
        {
            WorkspaceId = workspaceId,
            Actor = actor,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Address = accessor.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            Details = details is null ? null : JsonSerializer.Serialize(details, ApiJson.Options),
        });

    private string CurrentActor() => Actors.Of(accessor.HttpContext?.User);
}
