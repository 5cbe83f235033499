using System.Security.Claims;
using CatSyphon.Protocol;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CatSyphon.Web.Authentication;

/// <summary>
/// Who is signed in, as the session's claims hold it: the person's id, name, email and organization role, and the API
/// access token their pages call the API with (kept in the server-side session, never in the cookie).
/// </summary>
public sealed record SignedInPerson(Guid Id, string DisplayName, string Email, OrganizationRole OrganizationRole, string AccessToken)
{
    private const string IdClaim = "catsyphon:user_id";
    private const string OrganizationRoleClaim = "catsyphon:organization_role";
    private const string AccessTokenClaim = "catsyphon:access_token";

    public bool AdministersOrganization => OrganizationRole >= OrganizationRole.Admin;

    public ClaimsPrincipal ToPrincipal() => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, DisplayName),
            new Claim(IdClaim, Id.ToString()),
            new Claim(ClaimTypes.Email, Email),
            new Claim(OrganizationRoleClaim, WireName.Of(OrganizationRole)),
            new Claim(AccessTokenClaim, AccessToken),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme));

    public static SignedInPerson? From(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(IdClaim), out var id)
        && WireName.TryParse<OrganizationRole>(user.FindFirstValue(OrganizationRoleClaim), out var role)
        && user.FindFirstValue(AccessTokenClaim) is { } token
            ? new SignedInPerson(id, user.Identity?.Name ?? "", user.FindFirstValue(ClaimTypes.Email) ?? "", role.Value, token)
            : null;
}
