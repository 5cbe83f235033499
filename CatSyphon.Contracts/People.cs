namespace CatSyphon.Contracts;

/// <summary>A person's role in their organization, least to most: owners and admins act as admins of every workspace.</summary>
public enum OrganizationRole
{
    Member,
    Admin,
    Owner,
}

/// <summary>A person's role in one workspace, least to most.</summary>
public enum WorkspaceRole
{
    /// <summary>Reads only.</summary>
    Viewer,

    /// <summary>Reads everything of the workspace and registers collectors bound to themselves.</summary>
    Member,

    /// <summary>Collectors, enrollment tokens, members and settings.</summary>
    Admin,
}

/// <summary>Whose transcripts the members and viewers of a workspace read; analytics stay visible either way.</summary>
public enum TranscriptVisibility
{
    /// <summary>Every session's transcript.</summary>
    Workspace,

    /// <summary>Only the transcripts of their own sessions.</summary>
    Own,
}

public sealed record CreateUserRequest(string? Email, string? DisplayName, string? Password, OrganizationRole? OrganizationRole);

/// <summary>PATCH: the fields given change; <c>disabled: true</c> ends every session and token of the person at their next request.</summary>
public sealed record UpdateUserRequest(string? DisplayName, OrganizationRole? OrganizationRole, bool? Disabled, string? Password);

public sealed record UserView(
    Guid Id, string Email, string DisplayName, OrganizationRole OrganizationRole, bool HasPassword, bool Disabled,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt);

public sealed record SetMemberRequest(WorkspaceRole? Role);

/// <summary>Adds a person of the organization to a workspace by their email.</summary>
public sealed record AddMemberRequest(string? Email, WorkspaceRole? Role);

public sealed record MemberView(Guid UserId, string Email, string DisplayName, WorkspaceRole Role, DateTimeOffset CreatedAt);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record LoginResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>The ID token the front end got from the OpenID Connect provider (code flow with PKCE); the API checks it itself.</summary>
public sealed record OidcSignInRequest(string? IdToken);

/// <summary>A way to sign in besides a password, for the sign-in page: "Sign in with {DisplayName}".</summary>
public sealed record SignInProviderView(string Name, string DisplayName);

/// <summary>Who the caller is: a person, or the admin token (no id, acting as an owner).</summary>
public sealed record MeView(Guid? Id, string? Email, string DisplayName, OrganizationRole OrganizationRole, string Credential);

public sealed record CreateTokenRequest(string? Name, DateTimeOffset? ExpiresAt);

/// <summary>The new token, shown once: only its hash is kept.</summary>
public sealed record CreatedTokenResponse(Guid Id, string Name, string Token, string Prefix, DateTimeOffset? ExpiresAt);

public sealed record TokenView(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed record LinkDeveloperRequest(Guid? UserId);

public sealed record AuditEventView(
    Guid Id, DateTimeOffset OccurredAt, string Actor, string Action, string? TargetType, string? TargetId, Guid? WorkspaceId, string? Address,
    System.Text.Json.JsonElement? Details);

public sealed record AuditPage(IReadOnlyList<AuditEventView> Items, string? NextCursor);
