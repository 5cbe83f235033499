namespace CatSyphon.ApiService.Apis.People;

/// <summary>Who has which role in a workspace. Organization owners and admins need no membership: they administer every workspace.</summary>
public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/workspaces/{id:guid}/members", "Members");

        api.MapGet("/", ListMembers).RequireWorkspaceRole(WorkspaceRole.Viewer, WorkspaceSource.WorkspaceRoute)
            .WithSummary("The workspace's members with their roles");
        api.MapPost("/", AddMember).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Give a person of the organization, named by email, a role in the workspace (or change it)");
        api.MapPut("/{user_id:guid}", SetMember).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Give a person of the organization a role in the workspace (admin, member or viewer), or change it");
        api.MapDelete("/{user_id:guid}", RemoveMember).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Take a person's role in the workspace away; their next request there is a 404");
        return api;
    }

    public static async Task<Ok<List<MemberView>>> ListMembers(Guid id, CatSyphonDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.WorkspaceMembers.AsNoTracking()
            .Where(m => m.WorkspaceId == id)
            .OrderBy(m => m.User!.DisplayName).ThenBy(m => m.UserId)
            .Select(m => new MemberView(m.UserId, m.User!.Email, m.User.DisplayName, m.Role, m.CreatedAt))
            .ToListAsync(cancellationToken));

    public static async Task<Results<Ok<MemberView>, ProblemHttpResult>> AddMember(
        Guid id, AddMemberRequest request, CatSyphonDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var email = AccountRules.Normalize(request.Email ?? "");
        var user = await InOrganizationOf(db, id).FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken);
        return user is null
            ? ApiProblems.NotFound("No account of this organization has that email.")
            : await SaveRoleAsync(id, user, request.Role, db, audit, cancellationToken);
    }

    public static async Task<Results<Ok<MemberView>, ProblemHttpResult>> SetMember(
        Guid id, [FromRoute(Name = "user_id")] Guid userId, SetMemberRequest request, CatSyphonDbContext db, AuditTrail audit, CancellationToken cancellationToken) =>
        await InOrganizationOf(db, id).FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) is { } user
            ? await SaveRoleAsync(id, user, request.Role, db, audit, cancellationToken)
            : UsersApi.UserNotFound(userId);

    /// <summary>Only people of the workspace's own organization can join it; anyone else is as unknown as a missing account.</summary>
    private static IQueryable<User> InOrganizationOf(CatSyphonDbContext db, Guid workspace) =>
        db.Users.AsNoTracking().Where(u => u.OrganizationId == db.Workspaces.Where(w => w.Id == workspace).Select(w => w.OrganizationId).First());

    private static async Task<Results<Ok<MemberView>, ProblemHttpResult>> SaveRoleAsync(
        Guid id, User user, WorkspaceRole? requested, CatSyphonDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (requested is not { } role)
        {
            return ApiProblems.Validation("role", "role is required: admin, member or viewer.");
        }

        var userId = user.Id;

        var member = await db.WorkspaceMembers.FirstOrDefaultAsync(m => m.WorkspaceId == id && m.UserId == userId, cancellationToken);
        if (member is null)
        {
            member = new WorkspaceMember { WorkspaceId = id, UserId = userId, Role = role };
            db.WorkspaceMembers.Add(member);
        }

        var previous = db.Entry(member).State == EntityState.Added ? (WorkspaceRole?)null : member.Role;
        member.Role = role;
        audit.Record(db, id, "member.role_set", "user", userId, new { Role = role, Previous = previous });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new MemberView(userId, user.Email, user.DisplayName, role, member.CreatedAt));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        Guid id, [FromRoute(Name = "user_id")] Guid userId, CatSyphonDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var member = await db.WorkspaceMembers.FirstOrDefaultAsync(m => m.WorkspaceId == id && m.UserId == userId, cancellationToken);
        if (member is null)
        {
            return ApiProblems.NotFound($"User {userId} is not a member of this workspace.");
        }

        db.WorkspaceMembers.Remove(member);
        audit.Record(db, id, "member.removed", "user", userId, new { Previous = member.Role });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
