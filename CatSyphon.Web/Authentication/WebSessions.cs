using CatSyphon.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace CatSyphon.Web.Authentication;

/// <summary>
/// Browser sessions of people. Signing in asks the API for a short-lived access token; the session (with that token)
/// lives in Redis (<see cref="RedisTicketStore"/>) and the cookie holds only its key. Every page request and every
/// circuit, at intervals, asks the API whether the token still stands, so sign-out, a disabled account or a revoked
/// session ends the browser session at its next request, a copied cookie included.
/// </summary>
public static class WebSessions
{
    public const string SignInPath = "/sign-in";
    public const string SignOutPath = "/sign-out";
    private const string DataProtectionKeys = "catsyphon:web:data-protection-keys";

    public static void AddWebSessions(this IHostApplicationBuilder builder)
    {
        builder.AddCatSyphonRedisClient();

        // Kept in Redis so restarts and every replica read the same cookies and sessions.
        builder.Services.AddDataProtection().SetApplicationName("CatSyphon.Web");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), DataProtectionKeys));

        builder.Services.AddSingleton<ITicketStore, RedisTicketStore>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "catsyphon.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Lax: links from chat or mail open signed in, while no other site can post to this one with the cookie.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.LoginPath = SignInPath;
                options.AccessDeniedPath = SignInPath;
                options.Events.OnValidatePrincipal = ValidateAsync;
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ITicketStore>((options, store) => options.SessionStore = store);
        // The antiforgery cookie's own default never marks it Secure; over https (the proxy's scheme included) it must be.
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingSessionStateProvider>();
        builder.Services.AddScoped<IApiTokenSource, SignedInToken>();
        builder.AddOidcSignIn();
    }

    /// <summary>Starts a session for <paramref name="person"/>, lasting as long as their access token.</summary>
    public static Task SignInAsync(HttpContext context, SignedInPerson person, DateTimeOffset expiresAt) =>
        context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, person.ToPrincipal(),
            new AuthenticationProperties { ExpiresUtc = expiresAt, IsPersistent = false, AllowRefresh = false });

    /// <summary>
    /// POST /sign-out (with the antiforgery token of the page's form) ends the API session and deletes the server-side
    /// session, so the cookie, and any copy of it, opens nothing any more.
    /// </summary>
    public static void MapWebSessionEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost(SignOutPath, async (HttpContext context, CatSyphonApi api) =>
        {
            if (SignedInPerson.From(context.User) is { } person)
            {
                await api.SignOutAsync(person.AccessToken, context.RequestAborted);
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.LocalRedirect($"{SignInPath}?signedOut=true");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());

    /// <summary>
    /// Pages and the circuit's hub check the session's token with the API on every request; static files, which open
    /// nothing, do not.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var isPage = http.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null || http.Request.Path.StartsWithSegments("/_blazor");
        if (!isPage)
        {
            return;
        }

        var person = SignedInPerson.From(context.Principal!);
        var api = http.RequestServices.GetRequiredService<CatSyphonApi>();
        bool accepted;
        try
        {
            accepted = person is not null && await api.AcceptsTokenAsync(person.AccessToken, http.RequestAborted);
        }
        catch (ApiException)
        {
            // The API cannot say right now; the page will show that, and the API refuses a dead token anyway.
            accepted = person is not null;
        }

        if (!accepted)
        {
            context.RejectPrincipal();
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>The access token of whoever this circuit or request belongs to.</summary>
    private sealed class SignedInToken(AuthenticationStateProvider authentication) : IApiTokenSource
    {
        public async Task<string?> GetTokenAsync() =>
            SignedInPerson.From((await authentication.GetAuthenticationStateAsync()).User)?.AccessToken;
    }
}
