using CatSyphon.Contracts;

namespace CatSyphon.Data;

/// <summary>A person's account, in one organization.</summary>
public class User
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public Organization? Organization { get; set; }

    /// <summary>As the person wrote it.</summary>
    public required string Email { get; set; }

    /// <summary>Upper-case invariant form of <see cref="Email"/>: unique, what sign-in looks up.</summary>
    public required string NormalizedEmail { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>ASP.NET Core Identity's password hash; null for accounts that sign in only through OpenID Connect.</summary>
    public string? PasswordHash { get; set; }

    public OrganizationRole OrganizationRole { get; set; } = OrganizationRole.Member;

    /// <summary>Set: nothing of this person authenticates any more (tokens and sessions included).</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>The OpenID Connect issuer and subject the account is linked to, once it has signed in that way.</summary>
    public string? ExternalIssuer { get; set; }

    public string? ExternalSubject { get; set; }
}

/// <summary>A person's role in one workspace.</summary>
public class WorkspaceMember
{
    public Guid WorkspaceId { get; set; }

    public Workspace? Workspace { get; set; }

    public Guid UserId { get; set; }

    public User? User { get; set; }

    public WorkspaceRole Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>A secret a person holds: a personal access token (<c>cs_pat_</c>) or a sign-in session (<c>cs_at_</c>).</summary>
public abstract class UserCredential
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    public User? User { get; set; }

    /// <summary>SHA-256 of the whole secret (32 bytes), unique; the secret itself is never stored.</summary>
    public required byte[] TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A named, long-lived token for scripts and the CLI.</summary>
public class PersonalAccessToken : UserCredential
{
    public required string Name { get; set; }

    /// <summary><c>cs_pat_</c> plus the first characters of the secret, to recognise it in lists.</summary>
    public required string Prefix { get; set; }

    /// <summary>Null: never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>A short-lived access token from a sign-in (password or OpenID Connect); sign-out revokes it.</summary>
public class UserSession : UserCredential
{
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The address the sign-in came from.</summary>
    public string? Address { get; set; }
}
