using CatSyphon.Protocol;

namespace CatSyphon.ApiService.Authentication;

/// <summary>
/// The end of every sign-in, whatever proved who the person is (a password, an OpenID Connect ID token): a short-lived
/// access token (<c>cs_at_</c>) whose session is stored hashed, with its audit entry; or the refusal, with its audit
/// entry. Both are saved with whatever else the sign-in changed (an account created or linked, a role from groups).
/// </summary>
public sealed class SignInSessions(CatSyphonDbContext db, AuditTrail audit, IOptions<SignInOptions> options, TimeProvider time, IHttpContextAccessor accessor)
{
    /// <param name="method"><c>password</c> or <c>oidc</c>, for the audit log.</param>
    public async Task<LoginResponse> StartAsync(User user, string method, CancellationToken cancellationToken)
    {
        var token = AccessTokens.Generate();
        var now = time.GetUtcNow();
        var address = accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
        var session = new UserSession
        {
            UserId = user.Id,
            TokenHash = AccessTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + options.Value.AccessTokenLifetime,
            Address = address is { Length: <= ColumnLimits.Address } ? address : null,
        };
        db.UserSessions.Add(session);
        user.LastSignInAt = now;
        audit.RecordAs(db, $"user:{user.Id}", null, "signin.succeeded", "user", user.Id.ToString(), new { Method = method });
        await db.SaveChangesAsync(cancellationToken);
        return new LoginResponse(token, session.ExpiresAt);
    }

    /// <summary>Records a failed sign-in (of <paramref name="user"/> when the attempt named an account) and answers 401.</summary>
    /// <param name="details">Method and reason for the audit log; never a password or a token.</param>
    /// <param name="detail">What the caller is told.</param>
    public async Task<ProblemHttpResult> RefuseAsync(User? user, object details, string detail, CancellationToken cancellationToken)
    {
        audit.RecordAs(db, "anonymous", null, "signin.failed", "user", user?.Id.ToString(), details);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
    }
}
