using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace CatSyphon.ApiService.Authentication;

/// <summary>
/// <c>Authorization: Bearer &lt;admin token&gt;</c>. Both sides are hashed before the constant-time
/// comparison, so neither the token's content nor its length leaks through timing.
/// </summary>
public sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AdminOptions> adminOptions,
    CatSyphonDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminToken";
    public const string Actor = "admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!BearerToken.TryRead(Request, out var presented))
        {
            return AuthenticateResult.NoResult();
        }

        var settings = adminOptions.CurrentValue;
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(settings.Token));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return AuthenticateResult.NoResult();
        }

        // Turned off, the token still opens a server that has no active owner: nobody could sign in to turn it on again.
        if (!settings.TokenEnabled
            && await db.Users.AnyAsync(u => u.OrganizationRole == OrganizationRole.Owner && u.DisabledAt == null, Context.RequestAborted))
        {
            return AuthenticateResult.Fail("The admin token is turned off (Admin:TokenEnabled=false); sign in as a person.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(Caller.AdminToken.ToPrincipal(SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteUnauthorizedAsync(Context,
            "Sign in first: Authorization: Bearer <an access token from POST /api/auth/login, a personal access token, or the admin token>.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteForbiddenAsync(Context, "Your role does not allow this.");
}
