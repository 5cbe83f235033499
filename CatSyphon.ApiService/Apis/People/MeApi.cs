using CatSyphon.Protocol;

namespace CatSyphon.ApiService.Apis.People;

/// <summary>The caller's own account and personal access tokens.</summary>
public static class MeApi
{
    /// <summary>The farthest ahead a token may expire; null (never) is allowed too.</summary>
    private static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(5 * 365);

    /// <summary>Live tokens one person may hold: a bound on what one account can create.</summary>
    private const int MaxLiveTokens = 100;

    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/me", "Me");

        api.MapGet("/", GetMe).AllowAnyPerson().WithSummary("Who the caller is: their account and organization role, or the admin token");
        api.MapGet("/tokens", ListTokens).RequireAccount().WithSummary("The caller's personal access tokens (never the secrets), newest first");
        api.MapPost("/tokens", CreateToken).RequireAccount()
            .WithSummary("Create a personal access token (cs_pat_...) for scripts and the CLI; the token is shown once, only its hash is kept");
        api.MapDelete("/tokens/{id:guid}", RevokeToken).RequireAccount().WithSummary("Revoke one of the caller's personal access tokens");
        return api;
    }

    public static async Task<Ok<MeView>> GetMe(RequestAccess access, CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        var caller = access.Caller;
        if (caller.UserId is not { } userId)
        {
            return TypedResults.Ok(new MeView(null, null, "Admin token", OrganizationRole.Owner, WireName.Of(caller.Credential)));
        }

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        return TypedResults.Ok(new MeView(user.Id, user.Email, user.DisplayName, user.OrganizationRole, WireName.Of(caller.Credential)));
    }

    public static async Task<Ok<List<TokenView>>> ListTokens(RequestAccess access, CatSyphonDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.UserId == access.Caller.UserId)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Select(t => new TokenView(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(cancellationToken));

    public static async Task<Results<Created<CreatedTokenResponse>, ProblemHttpResult>> CreateToken(
        CreateTokenRequest request, RequestAccess access, CatSyphonDbContext db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        AccountRules.ValidateName(request.Name, "name", errors);

        if (request.ExpiresAt is { } expires && (expires <= now || expires > now + MaxTokenLifetime))
        {
            errors["expires_at"] = ["expires_at must be in the future and at most 5 years away (or left out: the token never expires)."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var userId = access.Caller.UserId!.Value;
        if (await db.PersonalAccessTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now), cancellationToken)
            >= MaxLiveTokens)
        {
            return ApiProblems.Conflict($"You already hold {MaxLiveTokens} live tokens; revoke some first.");
        }

        var secret = PersonalAccessTokens.Generate();
        var token = new PersonalAccessToken
        {
            UserId = userId,
            Name = request.Name!.Trim(),
            TokenHash = PersonalAccessTokens.Hash(secret),
            Prefix = PersonalAccessTokens.Prefix(secret),
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt?.ToUniversalTime(),
        };
        db.PersonalAccessTokens.Add(token);
        audit.Record(db, null, "token.created", "personal_access_token", token.Id, new { token.Name, token.Prefix, token.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/me/tokens/{token.Id}", new CreatedTokenResponse(token.Id, token.Name, secret, token.Prefix, token.ExpiresAt));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(
        Guid id, RequestAccess access, CatSyphonDbContext db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var token = await db.PersonalAccessTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == access.Caller.UserId, cancellationToken);
        if (token is null)
        {
            return ApiProblems.NotFound($"You hold no token {id}.");
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow();
            audit.Record(db, null, "token.revoked", "personal_access_token", token.Id, new { token.Name, token.Prefix });
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }
}
