using System.Security.Claims;
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
    IOptionsMonitor<AdminOptions> adminOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminToken";
    public const string Actor = "admin";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!BearerToken.TryRead(Request, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(adminOptions.CurrentValue.Token));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Actor), new Claim(ClaimTypes.Role, Roles.Admin)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteUnauthorizedAsync(Context, "A valid admin token is required: Authorization: Bearer <admin token>.");
}
