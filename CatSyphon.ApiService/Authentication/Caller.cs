using System.Globalization;
using System.Security.Claims;
using CatSyphon.Protocol;

namespace CatSyphon.ApiService.Authentication;

/// <summary>How a person proved who they are.</summary>
public enum CredentialKind
{
    /// <summary>The admin token: bootstrap and break-glass, acting as an organization owner of every organization.</summary>
    AdminToken,

    /// <summary>A personal access token (<c>cs_pat_</c>).</summary>
    PersonalAccessToken,

    /// <summary>A sign-in's short-lived access token (<c>cs_at_</c>).</summary>
    Session,
}

/// <summary>
/// A person calling the management and query API, or the admin token. Built by the authentication handlers as claims
/// and read back by the access rules, the audit trail and the handlers.
/// </summary>
public sealed record Caller(CredentialKind Credential, Guid? UserId, Guid? OrganizationId, OrganizationRole OrganizationRole, Guid? CredentialId)
{
    private const string UserIdClaim = "catsyphon:user_id";
    private const string OrganizationIdClaim = "catsyphon:organization_id";
    private const string OrganizationRoleClaim = "catsyphon:organization_role";
    private const string CredentialClaim = "catsyphon:credential";
    private const string CredentialIdClaim = "catsyphon:credential_id";

    public static Caller AdminToken { get; } = new(CredentialKind.AdminToken, null, null, OrganizationRole.Owner, null);

    /// <summary>What the audit trail names: <c>admin</c> for the admin token, <c>user:&lt;id&gt;</c> for a person.</summary>
    public string Actor => UserId is { } id ? $"user:{id}" : AdminTokenAuthenticationHandler.Actor;

    /// <summary>True when the caller acts as an admin of every workspace of <paramref name="organizationId"/>.</summary>
    public bool AdministersOrganization(Guid organizationId) =>
        Credential == CredentialKind.AdminToken || (OrganizationId == organizationId && OrganizationRole >= OrganizationRole.Admin);

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.Role, Credential == CredentialKind.AdminToken ? Roles.Admin : Roles.Person),
            new(ClaimTypes.Name, Actor),
            new(OrganizationRoleClaim, WireName.Of(OrganizationRole)),
            new(CredentialClaim, WireName.Of(Credential)),
        ];
        if (UserId is { } userId)
        {
            claims.Add(new(UserIdClaim, userId.ToString()));
        }

        if (OrganizationId is { } organizationId)
        {
            claims.Add(new(OrganizationIdClaim, organizationId.ToString()));
        }

        if (CredentialId is { } credentialId)
        {
            claims.Add(new(CredentialIdClaim, credentialId.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The caller a principal of <see cref="ToPrincipal"/> describes; null for a collector or anonymous.</summary>
    public static Caller? From(ClaimsPrincipal user) =>
        WireName.TryParse<CredentialKind>(user.FindFirstValue(CredentialClaim), out var credential)
        && WireName.TryParse<OrganizationRole>(user.FindFirstValue(OrganizationRoleClaim), out var role)
            ? new Caller(credential.Value, Id(user, UserIdClaim), Id(user, OrganizationIdClaim), role.Value, Id(user, CredentialIdClaim))
            : null;

    private static Guid? Id(ClaimsPrincipal user, string claim) =>
        Guid.TryParse(user.FindFirstValue(claim), CultureInfo.InvariantCulture, out var id) ? id : null;
}
