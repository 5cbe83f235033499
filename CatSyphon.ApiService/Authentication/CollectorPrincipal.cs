using System.Security.Claims;

namespace CatSyphon.ApiService.Authentication;

/// <summary>What a collector key proves: which collector, in which workspace.</summary>
public sealed record CollectorIdentity(Guid CollectorId, Guid WorkspaceId, bool Disabled)
{
    public const string CollectorIdClaim = "catsyphon:collector_id";
    public const string WorkspaceIdClaim = "catsyphon:workspace_id";
    public const string DisabledClaim = "catsyphon:disabled";

    public string Actor => $"collector:{CollectorId}";

    public ClaimsPrincipal ToPrincipal(string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Role, Roles.Collector),
            new Claim(CollectorIdClaim, CollectorId.ToString()),
            new Claim(WorkspaceIdClaim, WorkspaceId.ToString()),
            new Claim(DisabledClaim, Disabled ? "true" : "false"),
        ],
        scheme));

    public static CollectorIdentity? From(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(CollectorIdClaim), out var collectorId)
        && Guid.TryParse(user.FindFirstValue(WorkspaceIdClaim), out var workspaceId)
            ? new CollectorIdentity(collectorId, workspaceId, user.FindFirstValue(DisabledClaim) == "true")
            : null;
}
