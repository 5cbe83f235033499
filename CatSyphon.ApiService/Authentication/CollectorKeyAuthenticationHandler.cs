using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace CatSyphon.ApiService.Authentication;

/// <summary>
/// <c>Authorization: Bearer cs_live_...</c>: the key alone identifies the collector; an
/// <c>X-Collector-ID</c> header, when sent, must name the same collector.
/// </summary>
public sealed class CollectorKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CollectorKeyCache keys,
    CollectorContactTracker contacts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "CollectorKey";
    public const string CollectorIdHeader = "X-Collector-ID";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!BearerToken.TryRead(Request, out var key))
        {
            return AuthenticateResult.NoResult();
        }

        if (!Protocol.CollectorKeys.IsWellFormed(key))
        {
            return AuthenticateResult.Fail("The collector key is malformed.");
        }

        var identity = await keys.FindAsync(key, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("The collector key is unknown or revoked.");
        }

        if (Request.Headers.TryGetValue(CollectorIdHeader, out var claimed)
            && !(Guid.TryParse(claimed.ToString(), out var claimedId) && claimedId == identity.CollectorId))
        {
            return AuthenticateResult.Fail($"{CollectorIdHeader} does not match the collector key.");
        }

        contacts.Touch(identity.CollectorId);
        return AuthenticateResult.Success(new AuthenticationTicket(identity.ToPrincipal(SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteUnauthorizedAsync(Context, "A valid collector key is required: Authorization: Bearer cs_live_...");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteForbiddenAsync(Context, "This collector is disabled.");
}
