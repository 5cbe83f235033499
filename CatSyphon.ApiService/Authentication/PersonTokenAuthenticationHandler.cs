using System.Text.Encodings.Web;
using CatSyphon.Protocol;
using Microsoft.AspNetCore.Authentication;

namespace CatSyphon.ApiService.Authentication;

/// <summary>
/// <c>Authorization: Bearer cs_pat_...</c> (a personal access token) or <c>cs_at_...</c> (a sign-in's access token).
/// Every request looks the token up, so a revoked token, an ended session or a disabled person is refused at the next
/// request; people's requests are not the ingest hot path, and one indexed lookup costs well under a millisecond.
/// </summary>
public sealed class PersonTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CatSyphonDbContext db,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonToken";

    /// <summary>A token's last use is written at most this often, so reading a dashboard is not a stream of writes.</summary>
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    public static bool Handles(string token) =>
        token.StartsWith(PersonalAccessTokens.TokenPrefix, StringComparison.Ordinal) || token.StartsWith(AccessTokens.TokenPrefix, StringComparison.Ordinal);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!BearerToken.TryRead(Request, out var token))
        {
            return AuthenticateResult.NoResult();
        }

        var caller = PersonalAccessTokens.IsWellFormed(token) ? await FindPersonalTokenAsync(token)
            : AccessTokens.IsWellFormed(token) ? await FindSessionAsync(token)
            : null;
        return caller is null
            ? AuthenticateResult.Fail("The token is malformed, unknown, expired or revoked, or its person is disabled.")
            : AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    private async Task<Caller?> FindPersonalTokenAsync(string token)
    {
        var hash = PersonalAccessTokens.Hash(token);
        var now = time.GetUtcNow();
        var found = await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now) && t.User!.DisabledAt == null)
            .Select(t => new { t.Id, t.UserId, t.User!.OrganizationId, t.User.OrganizationRole, t.LastUsedAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return null;
        }

        if (found.LastUsedAt is null || found.LastUsedAt < now - LastUseResolution)
        {
            await db.PersonalAccessTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        return new Caller(CredentialKind.PersonalAccessToken, found.UserId, found.OrganizationId, found.OrganizationRole, found.Id);
    }

    private async Task<Caller?> FindSessionAsync(string token)
    {
        var hash = AccessTokens.Hash(token);
        var now = time.GetUtcNow();
        var found = await db.UserSessions.AsNoTracking()
            .Where(s => s.TokenHash == hash && s.RevokedAt == null && s.ExpiresAt > now && s.User!.DisabledAt == null)
            .Select(s => new { s.Id, s.UserId, s.User!.OrganizationId, s.User.OrganizationRole })
            .FirstOrDefaultAsync(Context.RequestAborted);
        return found is null ? null : new Caller(CredentialKind.Session, found.UserId, found.OrganizationId, found.OrganizationRole, found.Id);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteUnauthorizedAsync(Context, "The token is unknown, expired or revoked, or its person is disabled: sign in again or create a new token.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteForbiddenAsync(Context, "Your role does not allow this.");
}
