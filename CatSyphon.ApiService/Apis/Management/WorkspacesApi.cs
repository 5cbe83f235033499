using System.Text.RegularExpressions;

namespace CatSyphon.ApiService.Apis.Management;

public static partial class WorkspacesApi
{
    public const string DefaultOrganizationSlug = "default";
    private static readonly OptionalCount EnrollmentHours = new(Default: 7 * 24, Max: 365 * 24);

    public static RouteGroupBuilder MapWorkspacesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/workspaces", "Workspaces");

        api.MapPost("/", CreateWorkspace).WithSummary("Create a workspace (in the default organization unless one is given)");
        api.MapGet("/", ListWorkspaces).WithSummary("List workspaces");
        api.MapGet("/{id:guid}", GetWorkspace).WithSummary("Get a workspace");
        api.MapPatch("/{id:guid}", UpdateWorkspace).WithSummary("Rename a workspace or change its collector registration mode");
        api.MapPost("/{id:guid}/enrollment-tokens", CreateEnrollmentToken)
            .WithSummary("Create an enrollment token that lets developers register collectors in this workspace");

        return api;
    }

    public static async Task<Results<Created<WorkspaceResponse>, ProblemHttpResult>> CreateWorkspace(
        CreateWorkspaceRequest request, CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        ValidateName(request.Name, errors);
        if (string.IsNullOrEmpty(request.Slug) || !SlugPattern().IsMatch(request.Slug))
        {
            errors["slug"] = [$"slug is required: 1 to {ColumnLimits.Slug} lowercase letters, digits and hyphens, starting with a letter or digit."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        Guid organizationId;
        if (request.OrganizationId is { } requested)
        {
            if (!await db.Organizations.AnyAsync(o => o.Id == requested, cancellationToken))
            {
                return ApiProblems.NotFound($"Organization {requested} does not exist.");
            }

            organizationId = requested;
        }
        else
        {
            organizationId = await GetOrCreateDefaultOrganizationAsync(db, cancellationToken);
        }

        var workspace = new Workspace
        {
            OrganizationId = organizationId,
            Name = request.Name!.Trim(),
            Slug = request.Slug!,
            CollectorRegistration = request.CollectorRegistration ?? CollectorRegistration.Token,
        };
        db.Workspaces.Add(workspace);
        AuditTrail.Record(db, workspace.Id, AdminTokenAuthenticationHandler.Actor, "workspace.created", "workspace", workspace.Id, new { workspace.Slug });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (ApiProblems.IsUniqueViolation(exception))
        {
            return ApiProblems.Conflict($"A workspace with slug '{request.Slug}' already exists.");
        }

        return TypedResults.Created($"/api/workspaces/{workspace.Id}", WorkspaceResponse.From(workspace));
    }

    public static async Task<Ok<List<WorkspaceResponse>>> ListWorkspaces(CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        var workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(workspaces.Select(WorkspaceResponse.From).ToList());
    }

    public static async Task<Results<Ok<WorkspaceResponse>, ProblemHttpResult>> GetWorkspace(Guid id, CatSyphonDbContext db, CancellationToken cancellationToken) =>
        await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken) is { } workspace
            ? TypedResults.Ok(WorkspaceResponse.From(workspace))
            : ApiProblems.WorkspaceNotFound(id);

    public static async Task<Results<Ok<WorkspaceResponse>, ProblemHttpResult>> UpdateWorkspace(
        Guid id, UpdateWorkspaceRequest request, CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is not null)
        {
            ValidateName(request.Name, errors);
        }

        foreach (var field in request.Unchangeable?.Keys ?? Enumerable.Empty<string>())
        {
            errors[StorableText.Printable(field)] = [$"{StorableText.Printable(field)} cannot be changed: PATCH changes only name and collector_registration."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (workspace is null)
        {
            return ApiProblems.WorkspaceNotFound(id);
        }

        workspace.Name = request.Name?.Trim() ?? workspace.Name;
        workspace.CollectorRegistration = request.CollectorRegistration ?? workspace.CollectorRegistration;
        workspace.UpdatedAt = DateTimeOffset.UtcNow;
        AuditTrail.Record(db, workspace.Id, AdminTokenAuthenticationHandler.Actor, "workspace.updated", "workspace", workspace.Id,
            new { workspace.Name, workspace.CollectorRegistration });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WorkspaceResponse.From(workspace));
    }

    public static async Task<Results<Created<EnrollmentTokenResponse>, ProblemHttpResult>> CreateEnrollmentToken(
        Guid id, CreateEnrollmentTokenRequest? request, CatSyphonDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var hours = EnrollmentHours.Or(request?.ExpiresInHours);
        if (!EnrollmentHours.Allows(hours))
        {
            return ApiProblems.Validation("expires_in_hours", EnrollmentHours.Rule("expires_in_hours"));
        }

        if (!await db.Workspaces.AnyAsync(w => w.Id == id, cancellationToken))
        {
            return ApiProblems.WorkspaceNotFound(id);
        }

        var secret = Protocol.EnrollmentTokens.Generate();
        var token = new EnrollmentToken
        {
            WorkspaceId = id,
            TokenHash = Protocol.EnrollmentTokens.Hash(secret),
            Prefix = Protocol.EnrollmentTokens.Prefix(secret),
            ExpiresAt = time.GetUtcNow().AddHours(hours),
        };
        db.EnrollmentTokens.Add(token);
        AuditTrail.Record(db, id, AdminTokenAuthenticationHandler.Actor, "enrollment_token.created", "enrollment_token", token.Id, new { token.Prefix, token.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Created($"/api/workspaces/{id}/enrollment-tokens/{token.Id}", new EnrollmentTokenResponse(token.Id, secret, token.Prefix, token.ExpiresAt));
    }

    /// <summary>The default organization, created on first use; concurrent first uses agree on one.</summary>
    private static async Task<Guid> GetOrCreateDefaultOrganizationAsync(CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        var existing = await db.Organizations.Where(o => o.Slug == DefaultOrganizationSlug).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is { } id)
        {
            return id;
        }

        var organization = new Organization { Name = "Default organization", Slug = DefaultOrganizationSlug };
        db.Organizations.Add(organization);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return organization.Id;
        }
        catch (DbUpdateException exception) when (ApiProblems.IsUniqueViolation(exception))
        {
            db.Entry(organization).State = EntityState.Detached;
            return await db.Organizations.Where(o => o.Slug == DefaultOrganizationSlug).Select(o => o.Id).SingleAsync(cancellationToken);
        }
    }

    private static void ValidateName(string? name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > ColumnLimits.Name)
        {
            errors["name"] = [$"name is required: 1 to {ColumnLimits.Name} characters."];
        }
        else if (StorableText.HasNul(name))
        {
            errors["name"] = ["name must not contain NUL characters."];
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex SlugPattern();
}
