using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CatSyphon.TestOidcProvider;

/// <summary>
/// The authorization endpoint behind OpenIddict's checks (client, redirect URI, PKCE): the person named by
/// <c>login_hint</c> is signed in at once; without one, or with an unknown one, a one-field form asks for an email.
/// </summary>
internal static class AuthorizeEndpoint
{
    public const string Path = "connect/authorize";

    public static void MapAuthorizeEndpoint(this IEndpointRouteBuilder app) => app.MapMethods("/" + Path, ["GET", "POST"], Authorize);

    private static IResult Authorize(HttpContext context, ConcurrentDictionary<string, TestOidcUser> users)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle this request.");
        if (request.LoginHint is not { } email || !users.TryGetValue(email, out var user))
        {
            return Results.Content(LoginForm(request, unknown: request.LoginHint), "text/html; charset=utf-8");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Email, user.Email).SetClaim(Claims.Name, user.Name);
        identity.AddClaim(new Claim(Claims.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
        identity.SetClaims("groups", [.. user.Groups]);
        identity.SetScopes(request.GetScopes());
        // Everything in the ID token, as a provider configured to send email and groups does.
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The form resends the authorization request's parameters with the email typed in as <c>login_hint</c>.</summary>
    private static string LoginForm(OpenIddictRequest request, string? unknown)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder("<!DOCTYPE html><html><head><title>Test provider: sign in</title></head><body><h1>Test provider</h1>");
        if (unknown is not null)
        {
            page.Append("<p role=\"alert\">No such person: ").Append(html.Encode(unknown)).Append("</p>");
        }

        page.Append("<form method=\"get\" action=\"/").Append(Path).Append("\">");
        foreach (var (name, value) in request.GetParameters().Where(p => p.Key != Parameters.LoginHint))
        {
            page.Append("<input type=\"hidden\" name=\"").Append(html.Encode(name)).Append("\" value=\"").Append(html.Encode((string?)value ?? "")).Append("\">");
        }

        page.Append("<label>Email <input type=\"email\" name=\"login_hint\" autofocus required></label><button type=\"submit\">Sign in</button></form></body></html>");
        return page.ToString();
    }
}
