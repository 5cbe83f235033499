using CatSyphon.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CatSyphon.Web.Authentication;

/// <summary>
/// "Sign in with &lt;provider&gt;": the authorization code flow with PKCE against the organization's OpenID Connect
/// provider (the <c>Oidc</c> settings the API has too). The provider's ID token is handed to the API
/// (<c>POST /api/auth/oidc</c>), which checks it again, finds the account and answers an access token; the browser
/// session is then the same as after a password sign-in. Off without <c>Oidc:Authority</c>.
/// </summary>
public static class OidcSignIn
{
    public const string Scheme = "oidc";
    public const string StartPath = "/sign-in/oidc";

    public static void AddOidcSignIn(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Oidc");
        if (string.IsNullOrWhiteSpace(settings["Authority"]))
        {
            return;
        }

        builder.Services.AddAuthentication().AddOpenIdConnect(Scheme, options =>
        {
            options.Authority = settings["Authority"];
            options.ClientId = settings["ClientId"];
            options.ClientSecret = settings["ClientSecret"];
            options.RequireHttpsMetadata = !bool.TryParse(settings["RequireHttpsMetadata"], out var requireHttps) || requireHttps;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.ResponseMode = OpenIdConnectResponseMode.Query;
            options.UsePkce = true;
            // The provider's tokens are not kept: the session holds only the API's own access token.
            options.SaveTokens = false;
            options.GetClaimsFromUserInfoEndpoint = false;
            options.MapInboundClaims = false;
            options.Scope.Clear();
            foreach (var scope in (settings["Scopes"] ?? "openid email profile").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                options.Scope.Add(scope);
            }

            // The provider answers with a redirect (query response mode, not a cross-site form post), a top-level GET that
            // carries Lax cookies; None would need Secure, which browsers drop over plain HTTP in development.
            foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
            options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.Events.OnTokenValidated = ExchangeWithTheApiAsync;
            options.Events.OnRemoteFailure = context =>
            {
                context.Response.Redirect($"{WebSessions.SignInPath}?problem={Uri.EscapeDataString(context.Failure?.Message ?? "The sign-in failed.")}");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    /// <summary>GET /sign-in/oidc starts the flow; the provider sends the browser back to /signin-oidc.</summary>
    public static void MapOidcSignInEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(StartPath, (string? returnUrl) => TypedResults.Challenge(
            new AuthenticationProperties { RedirectUri = LocalUrl.OrHome(returnUrl) }, [Scheme]));

    private static async Task ExchangeWithTheApiAsync(TokenValidatedContext context)
    {
        var idToken = context.TokenEndpointResponse?.IdToken ?? context.ProtocolMessage.IdToken;
        var api = context.HttpContext.RequestServices.GetRequiredService<CatSyphonApi>();
        try
        {
            var login = await api.SendWithTokenAsync<LoginResponse>(HttpMethod.Post, "/api/auth/oidc", new OidcSignInRequest(idToken), token: null,
                context.HttpContext.RequestAborted);
            context.Principal = (await PersonSignIn.PersonAsync(api, login, context.HttpContext.RequestAborted)).ToPrincipal();
            context.Properties!.ExpiresUtc = login.ExpiresAt;
            context.Properties.IsPersistent = false;
            context.Properties.AllowRefresh = false;
        }
        catch (ApiException exception)
        {
            context.Fail(exception.Message);
        }
    }
}
