namespace CatSyphon.ApiService.Apis.People;

/// <summary>
/// Sign-in for a short-lived access token, with a password or an OpenID Connect provider's ID token, and sign-out, which
/// ends it.
/// </summary>
public static class AuthApi
{
    /// <summary>The provider's name in <c>GET /api/auth/providers</c>: there is one OpenID Connect provider at most.</summary>
    public const string OidcProviderName = "oidc";

    /// <summary>Far above a real ID token (Entra ID's with 200 groups is about 10,000 characters), far below the body limit.</summary>
    public const int MaxIdTokenLength = 32 * 1024;

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/auth", "Sign-in");

        api.MapPost("/login", Login).AllowAnyone()
            .WithSummary("Sign in with email and password for a short-lived access token (cs_at_...); repeated failures answer 429 with Retry-After");
        api.MapGet("/providers", Providers).AllowAnyone()
            .WithSummary("The single sign-on providers people can sign in with besides a password (none unless OpenID Connect is configured)");
        api.MapPost("/oidc", SignInWithOidc).AllowAnyone()
            .WithSummary("Sign in with the ID token of the configured OpenID Connect provider (the front end runs the code flow) for a short-lived access token");
        api.MapPost("/logout", Logout).AllowAnyPerson()
            .WithSummary("End the session of the access token this request carries (personal access tokens are revoked under /api/me/tokens)");
        return api;
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext context, CatSyphonDbContext db, Passwords passwords, SignInThrottle throttle, SignInSessions sessions,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        AccountRules.ValidateEmail(request.Email, errors);
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > Passwords.MaxLength)
        {
            errors["password"] = [$"password is required: at most {Passwords.MaxLength} characters."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var email = AccountRules.Normalize(request.Email!);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await throttle.RetryAfterAsync(email, address) is { } wait)
        {
            var seconds = (int)Math.Ceiling(Math.Max(1, wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins",
                detail: $"Too many failed sign-ins for this account or from this address; try again in {seconds} seconds.");
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken);
        if (!passwords.Verify(user, request.Password!) || user!.DisabledAt is not null)
        {
            await throttle.RecordFailureAsync(email, address);
            var reason = user is null ? "unknown_account" : user.DisabledAt is not null ? "disabled" : "wrong_password";
            return await sessions.RefuseAsync(user, new { Method = "password", Reason = reason }, "The email or password is wrong, or the account is disabled.",
                cancellationToken);
        }

        var response = await sessions.StartAsync(user, "password", cancellationToken);
        await throttle.ResetAsync(email);
        return TypedResults.Ok(response);
    }

    public static Ok<List<SignInProviderView>> Providers(IOptions<OidcOptions> options)
    {
        List<SignInProviderView> providers = options.Value.Enabled ? [new SignInProviderView(OidcProviderName, options.Value.DisplayName)] : [];
        return TypedResults.Ok(providers);
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> SignInWithOidc(
        OidcSignInRequest request, CatSyphonDbContext db, OidcIdTokens idTokens, SignInSessions sessions, AuditTrail audit, IOptions<OidcOptions> options,
        CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return ApiProblems.NotFound("OpenID Connect sign-in is not configured on this server.");
        }

        if (string.IsNullOrWhiteSpace(request.IdToken) || request.IdToken.Length > MaxIdTokenLength)
        {
            return ApiProblems.Validation("id_token", $"id_token is required: the ID token the provider returned, at most {MaxIdTokenLength} characters.");
        }

        var check = await idTokens.CheckAsync(request.IdToken, cancellationToken);
        if (check.Error == OidcTokenCheck.ProviderUnavailable)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
                detail: "The OpenID Connect provider cannot be reached to check the ID token; try again later.");
        }

        if (check.Identity is not { } identity)
        {
            return await sessions.RefuseAsync(null, new { Method = OidcAccounts.Method, Reason = "invalid_token", check.Error },
                "The ID token is not valid here: its signature, issuer, audience or lifetime was refused.", cancellationToken);
        }

        var match = await OidcAccounts.FindAsync(db, audit, identity, options.Value, cancellationToken);
        if (match.Refusal is { } refusal)
        {
            return await sessions.RefuseAsync(match.User, new { Method = OidcAccounts.Method, Reason = refusal }, OidcAccounts.Explain(refusal), cancellationToken);
        }

        try
        {
            return TypedResults.Ok(await sessions.StartAsync(match.User!, OidcAccounts.Method, cancellationToken));
        }
        catch (DbUpdateException exception) when (ApiProblems.IsUniqueViolation(exception))
        {
            // Two first sign-ins of one person at once: the other one created or linked the account.
            return ApiProblems.Conflict("Another sign-in of this account is being set up; sign in again.");
        }
    }

    public static async Task<NoContent> Logout(RequestAccess access, CatSyphonDbContext db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (access.Caller is { Credential: CredentialKind.Session, CredentialId: { } sessionId })
        {
            await db.UserSessions.Where(s => s.Id == sessionId && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, time.GetUtcNow()), cancellationToken);
            audit.Record(db, null, "signout", "session", sessionId);
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }
}
