using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatSyphon.Contracts;

/// <summary>Who may register a collector in a workspace without the admin token.</summary>
public enum CollectorRegistration
{
    /// <summary>A valid enrollment token of the workspace (or the admin token) is required.</summary>
    Token,

    /// <summary>Anyone who knows the workspace id may register.</summary>
    Open,
}

public sealed record CreateWorkspaceRequest(string? Name, string? Slug, Guid? OrganizationId, CollectorRegistration? CollectorRegistration);

/// <summary>
/// <c>retention_days</c>: sessions whose last activity is older are deleted (1 to 3650), or 0 to keep them forever; absent
/// leaves the retention as it is. <c>llm_monthly_token_budget</c>: tokens the optional LLM may use per month for the
/// workspace, 0 turns it off, -1 goes back to the server's default; absent leaves it as it is.
/// </summary>
public sealed record UpdateWorkspaceRequest(
    string? Name, CollectorRegistration? CollectorRegistration, TranscriptVisibility? TranscriptVisibility = null, int? RetentionDays = null,
    int? LlmMonthlyTokenBudget = null)
{
    /// <summary>Fields the request holds that PATCH does not change (unknown ones, or <c>slug</c>, <c>id</c>...): a 422 names them.</summary>
    /// <remarks>
    /// <c>set</c>, not <c>init</c>: the source generator binds init-only members like constructor parameters, and an
    /// extension data property cannot be bound that way.
    /// </remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unchangeable { get; set; }
}

/// <summary>
/// A workspace, with the caller's effective role in it (organization owners and admins are admins of every workspace).
/// <c>retention_days</c> is null when sessions are kept forever.
/// </summary>
public sealed record WorkspaceResponse(
    Guid Id, string Name, string Slug, Guid OrganizationId, CollectorRegistration CollectorRegistration, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    TranscriptVisibility TranscriptVisibility, WorkspaceRole Role, int? RetentionDays = null);

/// <summary>
/// <c>personal</c>: collectors registered with the token are bound to its creator and their sessions are the creator's.
/// Tokens of workspace members are always personal; an admin's are team tokens unless asked.
/// </summary>
public sealed record CreateEnrollmentTokenRequest(int? ExpiresInHours, bool? Personal = null);

public sealed record EnrollmentTokenResponse(Guid Id, string Token, string Prefix, DateTimeOffset ExpiresAt);
