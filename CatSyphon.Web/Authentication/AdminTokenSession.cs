using System.Security.Claims;
using CatSyphon.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;

namespace CatSyphon.Web.Authentication;

/// <summary>
/// A browser session signed in with the API's admin token. The token travels in the session cookie, which ASP.NET Core
/// encrypts with its data-protection keys, so the web front end keeps no secret of its own and a rotated admin token
/// ends every session at its next API call.
/// </summary>
public static class AdminTokenSession
{
    public const string TokenClaim = "catsyphon:admin_token";
    public const string SignInPath = "/sign-in";
    public const string SignOutPath = "/sign-out";
    private const string UserName = "admin";

    public static void AddAdminTokenSessions(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "catsyphon.session";
                options.Cookie.HttpOnly = true;
                // Lax: links from chat or mail open signed in, while no other site can post to this one with the cookie.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
                options.LoginPath = SignInPath;
                options.AccessDeniedPath = SignInPath;
            });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IAdminTokenSource, SignedInAdminToken>();
    }

    public static Task SignInAsync(HttpContext context, string token)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, UserName), new Claim(TokenClaim, token)], CookieAuthenticationDefaults.AuthenticationScheme);
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>POST /sign-out ends the session. SameSite=Lax keeps other sites from posting it with the cookie.</summary>
    public static void MapAdminTokenSessionEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost(SignOutPath, async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.LocalRedirect($"{SignInPath}?signedOut=true");
        });

    /// <summary>The token of whoever this circuit or request belongs to.</summary>
    private sealed class SignedInAdminToken(AuthenticationStateProvider authentication) : IAdminTokenSource
    {
        public async Task<string?> GetTokenAsync() =>
            (await authentication.GetAuthenticationStateAsync()).User.FindFirst(TokenClaim)?.Value;
    }
}
