namespace CatSyphon.ApiService.Apis.People;

/// <summary>
/// People's accounts in the caller's organization, managed by its owners and admins. Only an owner grants, changes or
/// removes an owner, and the last active owner cannot be demoted, disabled or deleted.
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/users", "People");

        api.MapGet("/", ListUsers).RequireOrganizationRole(OrganizationRole.Admin).WithSummary("People of the caller's organization, in order of creation");
        api.MapPost("/", CreateUser).RequireOrganizationRole(OrganizationRole.Admin)
            .WithSummary("Create an account (a password of at least 12 characters, or none for an account that signs in through OpenID Connect)");
        api.MapPatch("/{id:guid}", UpdateUser).RequireOrganizationRole(OrganizationRole.Admin)
            .WithSummary("Change a person's display name, organization role or password, or disable them (every session and token stops at once)");
        api.MapDelete("/{id:guid}", DeleteUser).RequireOrganizationRole(OrganizationRole.Admin)
            .WithSummary("Delete an account with its memberships and tokens; its collectors and sessions stay, unlinked");
        return api;
    }

    public static async Task<Ok<List<UserView>>> ListUsers(RequestAccess access, CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        var users = await Visible(db, access.Caller).AsNoTracking().OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(users.Select(AccountRules.View).ToList());
    }

    public static async Task<Results<Created<UserView>, ProblemHttpResult>> CreateUser(
        CreateUserRequest request, RequestAccess access, CatSyphonDbContext db, Passwords passwords, AuditTrail audit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        AccountRules.ValidateEmail(request.Email, errors);
        AccountRules.ValidateDisplayName(request.DisplayName, errors);
        if (request.Password is not null)
        {
            AccountRules.ValidatePassword(request.Password, errors);
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var role = request.OrganizationRole ?? OrganizationRole.Member;
        if (role == OrganizationRole.Owner && access.Caller.OrganizationRole != OrganizationRole.Owner)
        {
            return OnlyOwners();
        }

        var user = new User
        {
            OrganizationId = access.Caller.OrganizationId ?? await DefaultOrganization.GetOrCreateAsync(db, cancellationToken),
            Email = request.Email!.Trim(),
            NormalizedEmail = AccountRules.Normalize(request.Email!),
            DisplayName = request.DisplayName!.Trim(),
            OrganizationRole = role,
        };
        user.PasswordHash = request.Password is null ? null : passwords.Hash(user, request.Password);
        db.Users.Add(user);
        audit.Record(db, null, "user.created", "user", user.Id, new { user.Email, user.OrganizationRole, HasPassword = user.PasswordHash is not null });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (ApiProblems.IsUniqueViolation(exception))
        {
            return ApiProblems.Conflict($"An account with email '{user.Email}' already exists.");
        }

        return TypedResults.Created($"/api/users/{user.Id}", AccountRules.View(user));
    }

    public static async Task<Results<Ok<UserView>, ProblemHttpResult>> UpdateUser(
        Guid id, UpdateUserRequest request, RequestAccess access, CatSyphonDbContext db, Passwords passwords, AuditTrail audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.DisplayName is not null)
        {
            AccountRules.ValidateDisplayName(request.DisplayName, errors);
        }

        if (request.Password is not null)
        {
            AccountRules.ValidatePassword(request.Password, errors);
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        if (await Visible(db, access.Caller).FirstOrDefaultAsync(u => u.Id == id, cancellationToken) is not { } user)
        {
            return UserNotFound(id);
        }

        var role = request.OrganizationRole ?? user.OrganizationRole;
        var disabled = request.Disabled ?? user.DisabledAt is not null;
        if ((user.OrganizationRole == OrganizationRole.Owner || role == OrganizationRole.Owner) && access.Caller.OrganizationRole != OrganizationRole.Owner)
        {
            return OnlyOwners();
        }

        var losesOwner = user.OrganizationRole == OrganizationRole.Owner && user.DisabledAt is null && (role != OrganizationRole.Owner || disabled);
        if (losesOwner && await AccountRules.IsLastOwnerAsync(db, user, cancellationToken))
        {
            return LastOwner();
        }

        var now = time.GetUtcNow();
        var endSessions = (disabled && user.DisabledAt is null) || request.Password is not null;
        user.DisplayName = request.DisplayName?.Trim() ?? user.DisplayName;
        user.OrganizationRole = role;
        user.DisabledAt = disabled ? user.DisabledAt ?? now : null;
        user.PasswordHash = request.Password is null ? user.PasswordHash : passwords.Hash(user, request.Password);
        if (endSessions)
        {
            await db.UserSessions.Where(s => s.UserId == id && s.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), cancellationToken);
        }

        audit.Record(db, null, "user.updated", "user", user.Id,
            new { user.DisplayName, user.OrganizationRole, Disabled = disabled, PasswordChanged = request.Password is not null });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(AccountRules.View(user));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteUser(
        Guid id, RequestAccess access, CatSyphonDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await Visible(db, access.Caller).FirstOrDefaultAsync(u => u.Id == id, cancellationToken) is not { } user)
        {
            return UserNotFound(id);
        }

        if (user.OrganizationRole == OrganizationRole.Owner && access.Caller.OrganizationRole != OrganizationRole.Owner)
        {
            return OnlyOwners();
        }

        if (user.OrganizationRole == OrganizationRole.Owner && user.DisabledAt is null && await AccountRules.IsLastOwnerAsync(db, user, cancellationToken))
        {
            return LastOwner();
        }

        db.Users.Remove(user);
        audit.Record(db, null, "user.deleted", "user", user.Id, new { user.Email });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The accounts the caller manages: their organization's (every one, for the admin token).</summary>
    internal static IQueryable<User> Visible(CatSyphonDbContext db, Caller caller) =>
        caller.OrganizationId is { } organizationId ? db.Users.Where(u => u.OrganizationId == organizationId) : db.Users;

    internal static ProblemHttpResult UserNotFound(Guid id) => ApiProblems.NotFound($"User {id} does not exist.");

    private static ProblemHttpResult OnlyOwners() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Only an owner grants, changes or removes an owner.");

    private static ProblemHttpResult LastOwner() =>
        ApiProblems.Conflict("This is the organization's last active owner: make someone else an owner first.");
}
