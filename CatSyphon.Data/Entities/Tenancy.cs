using CatSyphon.Contracts;

namespace CatSyphon.Data;

/// <summary>A row addressed by a URL-safe slug, unique across the server, and shown under a display name.</summary>
public interface ISlugged
{
    string Name { get; }

    string Slug { get; }
}

/// <summary>
/// A row that belongs to exactly one workspace (see <see cref="Workspace"/>), under an application-assigned,
/// time-ordered id.
/// </summary>
public abstract class WorkspaceRow
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Workspace? Workspace { get; set; }
}

/// <summary>The top of the tenancy tree: organization -> workspaces.</summary>
public class Organization : ISlugged
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    /// <summary>Globally unique, URL-safe.</summary>
    public required string Slug { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public ICollection<Workspace> Workspaces { get; } = new List<Workspace>();
}

/// <summary>
/// The isolation unit: collectors, projects, developers and conversations belong to exactly one
/// workspace, and a session id is unique only within its workspace.
/// </summary>
public class Workspace : ISlugged
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public Organization? Organization { get; set; }

    public required string Name { get; set; }

    /// <summary>Globally unique, URL-safe (a duplicate is a 409).</summary>
    public required string Slug { get; set; }

    /// <summary>Stored as <c>token</c> or <c>open</c>.</summary>
    public CollectorRegistration CollectorRegistration { get; set; } = CollectorRegistration.Token;

    /// <summary>Stored as <c>workspace</c> or <c>own</c>.</summary>
    public TranscriptVisibility TranscriptVisibility { get; set; } = TranscriptVisibility.Workspace;

    /// <summary>Sessions whose last activity is older than this many days are deleted; null keeps them forever.</summary>
    public int? RetentionDays { get; set; }

    /// <summary>Tokens the optional LLM may use per month for this workspace; null takes the configured default, 0 turns it off.</summary>
    public int? LlmMonthlyTokenBudget { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public ICollection<Collector> Collectors { get; } = new List<Collector>();

    public ICollection<EnrollmentToken> EnrollmentTokens { get; } = new List<EnrollmentToken>();
}

/// <summary>A secret (<c>cs_enroll_...</c>) that lets developers register collectors in one workspace.</summary>
public class EnrollmentToken : WorkspaceRow
{
    /// <summary>SHA-256 of the whole token (32 bytes); the token itself is never stored.</summary>
    public required byte[] TokenHash { get; set; }

    /// <summary>The first characters of the token, to recognise it in lists and logs.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Set for a personal token: collectors registered with it belong to this person.</summary>
    public Guid? UserId { get; set; }

    public User? User { get; set; }
}

/// <summary>A registered collector (one install on one workstation), authenticated by its API key.</summary>
public class Collector : WorkspaceRow
{
    public required string CollectorType { get; set; }

    public required string CollectorVersion { get; set; }

    public required string Hostname { get; set; }

    /// <summary>Free-form JSON object sent at registration (jsonb).</summary>
    public string? Metadata { get; set; }

    /// <summary>SHA-256 of the API key (32 bytes), unique; the key itself is never stored.</summary>
    public required byte[] ApiKeyHash { get; set; }

    /// <summary><c>cs_live_</c> plus the first 4 characters of the key.</summary>
    public required string ApiKeyPrefix { get; set; }

    /// <summary>The key replaced by the last rotation, still accepted until <see cref="PreviousKeyExpiresAt"/>.</summary>
    public byte[]? PreviousApiKeyHash { get; set; }

    public DateTimeOffset? PreviousKeyExpiresAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Last authenticated contact of any kind (events, heartbeat, self-check).</summary>
    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>From the last heartbeat, when the collector reported them.</summary>
    public int? LastQueueDepth { get; set; }

    public string? LastReportedStatus { get; set; }

    /// <summary>Set: the key no longer authenticates (401).</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Set: the key authenticates but the collector is refused (403).</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>Set by DELETE (revoke plus hide): left out of lists; its data stays.</summary>
    public DateTimeOffset? HiddenAt { get; set; }

    /// <summary>Number of sessions (conversations) this collector started.</summary>
    public long SessionCount { get; set; }

    /// <summary>Number of events accepted from this collector.</summary>
    public long EventCount { get; set; }

    /// <summary>The person the collector belongs to (registered with their personal token or while signed in): its sessions are theirs.</summary>
    public Guid? UserId { get; set; }

    public User? User { get; set; }
}

/// <summary>A working directory seen in a workspace's sessions.</summary>
public class Project : WorkspaceRow
{
    /// <summary>The directory path as the collector reported it; unique within the workspace.</summary>
    public required string Directory { get; set; }

    /// <summary>Display name (by default the last path segment).</summary>
    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>A person seen in a workspace's sessions (<c>session_start.developer</c>).</summary>
public class Developer : WorkspaceRow
{
    /// <summary>The identifier the collector reports; unique within the workspace.</summary>
    public required string Username { get; set; }

    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The person this identity is, linked by an admin: its sessions are theirs.</summary>
    public Guid? UserId { get; set; }

    public User? User { get; set; }
}
