namespace CatSyphon.ApiService.Apis.People;

/// <summary>Sign-in with a password for a short-lived access token, and sign-out, which ends it.</summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/auth", "Sign-in");

        api.MapPost("/login", Login).AllowAnyone()
            .WithSummary("Sign in with email and password for a short-lived access token (cs_at_...); repeated failures answer 429 with Retry-After");
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
