using System.Text.RegularExpressions;

namespace CatSyphon.ApiService.Apis.Management;

public static partial class WorkspacesApi
{
    private static readonly OptionalCount EnrollmentHours = new(Default: 7 * 24, Max: 365 * 24);

    /// <summary>The longest retention a workspace can set: ten years.</summary>
    public const int MaxRetentionDays = 3650;

    public static RouteGroupBuilder MapWorkspacesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/workspaces", "Workspaces");

        api.MapPost("/", CreateWorkspace).RequireOrganizationRole(OrganizationRole.Admin).WithSummary("Create a workspace (in the default organization unless one is given)");
        api.MapGet("/", ListWorkspaces).AllowAnyPerson().WithSummary("List the workspaces the caller has a role in, with that role");
        api.MapGet("/{id:guid}", GetWorkspace).RequireWorkspaceRole(WorkspaceRole.Viewer, WorkspaceSource.WorkspaceRoute).WithSummary("Get a workspace");
        api.MapPatch("/{id:guid}", UpdateWorkspace).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Rename a workspace or change its collector registration mode, transcript visibility, retention (days, 0 = forever) or monthly LLM token budget (0 = off, -1 = the default)");
        api.MapPost("/{id:guid}/enrollment-tokens", CreateEnrollmentToken)
            .RequireWorkspaceRole(WorkspaceRole.Member, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Create an enrollment token that lets developers register collectors in this workspace");

        return api;
    }

    public static async Task<Results<Created<WorkspaceResponse>, ProblemHttpResult>> CreateWorkspace(
        CreateWorkspaceRequest request, CatSyphonDbContext db, AuditTrail audit, RequestAccess access, CancellationToken cancellationToken)
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
            // A person creates workspaces in their own organization only; another one is as unknown as a missing one.
            if (!await db.Organizations.AnyAsync(o => o.Id == requested, cancellationToken)
                || (access.Caller.OrganizationId is { } own && own != requested))
            {
                return ApiProblems.NotFound($"Organization {requested} does not exist.");
            }

            organizationId = requested;
        }
        else
        {
            organizationId = access.Caller.OrganizationId ?? await DefaultOrganization.GetOrCreateAsync(db, cancellationToken);
        }

        var workspace = new Workspace
        {
            OrganizationId = organizationId,
            Name = request.Name!.Trim(),
            Slug = request.Slug!,
            CollectorRegistration = request.CollectorRegistration ?? CollectorRegistration.Token,
        };
        db.Workspaces.Add(workspace);
        audit.Record(db, workspace.Id, "workspace.created", "workspace", workspace.Id, new { workspace.Slug });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (ApiProblems.IsUniqueViolation(exception))
        {
            return ApiProblems.Conflict($"A workspace with slug '{request.Slug}' already exists.");
        }

        return TypedResults.Created($"/api/workspaces/{workspace.Id}", WorkspaceResponse.From(workspace, WorkspaceRole.Admin));
    }

    public static async Task<Ok<List<WorkspaceResponse>>> ListWorkspaces(CatSyphonDbContext db, RequestAccess access, CancellationToken cancellationToken)
    {
        var caller = access.Caller;
        var userId = caller.UserId ?? Guid.Empty;
        var administered = caller.Credential == CredentialKind.AdminToken ? null : caller.OrganizationRole >= OrganizationRole.Admin ? caller.OrganizationId : Guid.Empty;
        var rows = await db.Workspaces.AsNoTracking()
            .Select(w => new
            {
                Workspace = w,
                Member = db.WorkspaceMembers.Where(m => m.WorkspaceId == w.Id && m.UserId == userId).Select(m => (WorkspaceRole?)m.Role).FirstOrDefault(),
            })
            .Where(row => administered == null || row.Workspace.OrganizationId == administered || row.Member != null)
            .OrderBy(row => row.Workspace.CreatedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows
            .Select(row => WorkspaceResponse.From(row.Workspace, WorkspaceRoles.Effective(caller, row.Workspace.OrganizationId, row.Member)!.Value))
            .ToList());
    }

    public static async Task<Ok<WorkspaceResponse>> GetWorkspace(Guid id, CatSyphonDbContext db, RequestAccess access, CancellationToken cancellationToken) =>
        TypedResults.Ok(WorkspaceResponse.From(await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == id, cancellationToken), access.Role));

    public static async Task<Results<Ok<WorkspaceResponse>, ProblemHttpResult>> UpdateWorkspace(
        Guid id, UpdateWorkspaceRequest request, CatSyphonDbContext db, AuditTrail audit, RequestAccess access, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is not null)
        {
            ValidateName(request.Name, errors);
        }

        if (request.RetentionDays is < 0 or > MaxRetentionDays)
        {
            errors["retention_days"] = [$"retention_days is 1 to {MaxRetentionDays} days, or 0 to keep sessions forever."];
        }

        if (request.LlmMonthlyTokenBudget is < -1)
        {
            errors["llm_monthly_token_budget"] = ["llm_monthly_token_budget is a number of tokens, 0 to turn the LLM off for the workspace, or -1 for the server's default."];
        }

        foreach (var field in request.Unchangeable?.Keys ?? Enumerable.Empty<string>())
        {
            errors[StorableText.Printable(field)] =
                [$"{StorableText.Printable(field)} cannot be changed: PATCH changes only name, collector_registration, transcript_visibility, retention_days and llm_monthly_token_budget."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var workspace = await db.Workspaces.SingleAsync(w => w.Id == id, cancellationToken);
        workspace.Name = request.Name?.Trim() ?? workspace.Name;
        workspace.CollectorRegistration = request.CollectorRegistration ?? workspace.CollectorRegistration;
        workspace.TranscriptVisibility = request.TranscriptVisibility ?? workspace.TranscriptVisibility;
        workspace.UpdatedAt = DateTimeOffset.UtcNow;
        audit.Record(db, workspace.Id, "workspace.updated", "workspace", workspace.Id,
            new { workspace.Name, workspace.CollectorRegistration, workspace.TranscriptVisibility });
        if (request.RetentionDays is { } days)
        {
            SetRetention(db, audit, workspace, days == 0 ? null : days);
        }

        if (request.LlmMonthlyTokenBudget is { } budget)
        {
            SetLlmBudget(db, audit, workspace, budget == -1 ? null : budget);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WorkspaceResponse.From(workspace, access.Role));
    }

    /// <summary>Sets how long sessions are kept (null: forever), audited with the previous value when it changes.</summary>
    private static void SetRetention(CatSyphonDbContext db, AuditTrail audit, Workspace workspace, int? retentionDays)
    {
        if (retentionDays != workspace.RetentionDays)
        {
            audit.Record(db, workspace.Id, "workspace.retention_set", "workspace", workspace.Id,
                new { RetentionDays = retentionDays, Previous = workspace.RetentionDays });
            workspace.RetentionDays = retentionDays;
        }
    }

    /// <summary>Sets the workspace's monthly LLM token budget (null: the server's default), audited with the previous value when it changes.</summary>
    private static void SetLlmBudget(CatSyphonDbContext db, AuditTrail audit, Workspace workspace, int? budget)
    {
        if (budget != workspace.LlmMonthlyTokenBudget)
        {
            audit.Record(db, workspace.Id, "workspace.llm_budget_set", "workspace", workspace.Id,
                new { LlmMonthlyTokenBudget = budget, Previous = workspace.LlmMonthlyTokenBudget });
            workspace.LlmMonthlyTokenBudget = budget;
        }
    }

    public static async Task<Results<Created<EnrollmentTokenResponse>, ProblemHttpResult>> CreateEnrollmentToken(
        Guid id, CreateEnrollmentTokenRequest? request, CatSyphonDbContext db, AuditTrail audit, RequestAccess access, TimeProvider time, CancellationToken cancellationToken)
    {
        var hours = EnrollmentHours.Or(request?.ExpiresInHours);
        if (!EnrollmentHours.Allows(hours))
        {
            return ApiProblems.Validation("expires_in_hours", EnrollmentHours.Rule("expires_in_hours"));
        }

        // A member's token is always theirs; an admin's is the team's unless asked. The admin token has no person to bind.
        var personal = access.Caller.UserId is not null && (access.Role < WorkspaceRole.Admin || request?.Personal == true);
        var secret = Protocol.EnrollmentTokens.Generate();
        var token = new EnrollmentToken
        {
            WorkspaceId = id,
            TokenHash = Protocol.EnrollmentTokens.Hash(secret),
            Prefix = Protocol.EnrollmentTokens.Prefix(secret),
            ExpiresAt = time.GetUtcNow().AddHours(hours),
            UserId = personal ? access.Caller.UserId : null,
        };
        db.EnrollmentTokens.Add(token);
        audit.Record(db, id, "enrollment_token.created", "enrollment_token", token.Id, new { token.Prefix, token.ExpiresAt, Personal = personal });
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Created($"/api/workspaces/{id}/enrollment-tokens/{token.Id}", new EnrollmentTokenResponse(token.Id, secret, token.Prefix, token.ExpiresAt));
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
