using CatSyphon.ApiService.Privacy;

namespace CatSyphon.ApiService.Apis.Management;

/// <summary>
/// A workspace's own redaction rules: patterns whose matches are redacted like the built-in kinds, and strings that are
/// never redacted. They apply to every batch the API accepts for the workspace from the next batch on, on every replica.
/// </summary>
public static class RedactionRulesApi
{
    public static RouteGroupBuilder MapRedactionRulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/workspaces/{id:guid}/redaction-rules", "Redaction");

        api.MapGet("/", ListRules).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("The workspace's own redaction patterns and allow-list (the built-in rules always apply)");
        api.MapPost("/", AddRule).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Add a redaction pattern (run without backtracking) or an allow-list string");
        api.MapDelete("/{rule_id:guid}", DeleteRule).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Remove a redaction pattern or allow-list string; what was stored stays as it was stored");
        api.MapPost("/preview", Preview).RequireWorkspaceRole(WorkspaceRole.Viewer, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Redact a text with the workspace's rules, to try them; nothing is stored");
        return api;
    }

    public static async Task<Ok<List<RedactionRuleView>>> ListRules(Guid id, CatSyphonDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.RedactionRules.AsNoTracking()
            .Where(r => r.WorkspaceId == id)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => new RedactionRuleView(r.Id, r.Kind, r.Value, r.Label, r.CreatedBy, r.CreatedAt))
            .ToListAsync(cancellationToken));

    public static async Task<Results<Created<RedactionRuleView>, ProblemHttpResult>> AddRule(
        Guid id, CreateRedactionRuleRequest request, CatSyphonDbContext db, AuditTrail audit, RequestAccess access, WorkspaceRedactors redactors,
        CancellationToken cancellationToken)
    {
        if (WorkspaceRedactionRules.Check(request) is { Count: > 0 } errors)
        {
            return ApiProblems.Validation(errors);
        }

        var kind = request.Kind!.Value;
        var existing = await db.RedactionRules.Where(r => r.WorkspaceId == id && r.Kind == kind).Select(r => r.Value).ToListAsync(cancellationToken);
        var limit = kind == RedactionRuleKind.Pattern ? WorkspaceRedactionRules.MaxPatterns : WorkspaceRedactionRules.MaxAllowed;
        if (existing.Contains(request.Value!, StringComparer.Ordinal))
        {
            return ApiProblems.Conflict("The workspace already has this rule.");
        }

        if (existing.Count >= limit)
        {
            return ApiProblems.Validation("value", $"A workspace has at most {limit} rules of kind {ApiJson.Name(kind)}; remove one first.");
        }

        var rule = new RedactionRule
        {
            WorkspaceId = id,
            Kind = kind,
            Value = request.Value!,
            Label = kind == RedactionRuleKind.Pattern ? request.Label ?? WorkspaceRedactionRules.DefaultLabel : null,
            CreatedBy = access.Caller.Actor,
        };
        db.RedactionRules.Add(rule);
        // The value itself may be sensitive (an allowed test key): the audit names the rule, not what it holds.
        audit.Record(db, id, "redaction_rule.added", "redaction_rule", rule.Id, new { rule.Kind, rule.Label });
        await db.SaveChangesAsync(cancellationToken);
        await redactors.InvalidateAsync(id);
        return TypedResults.Created(
            $"/api/workspaces/{id}/redaction-rules/{rule.Id}",
            new RedactionRuleView(rule.Id, rule.Kind, rule.Value, rule.Label, rule.CreatedBy, rule.CreatedAt));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(
        Guid id, [FromRoute(Name = "rule_id")] Guid ruleId, CatSyphonDbContext db, AuditTrail audit, WorkspaceRedactors redactors,
        CancellationToken cancellationToken)
    {
        var rule = await db.RedactionRules.FirstOrDefaultAsync(r => r.WorkspaceId == id && r.Id == ruleId, cancellationToken);
        if (rule is null)
        {
            return ApiProblems.NotFound($"Redaction rule {ruleId} does not exist in this workspace.");
        }

        db.RedactionRules.Remove(rule);
        audit.Record(db, id, "redaction_rule.removed", "redaction_rule", rule.Id, new { rule.Kind, rule.Label });
        await db.SaveChangesAsync(cancellationToken);
        await redactors.InvalidateAsync(id);
        return TypedResults.NoContent();
    }

    /// <summary>The longest text a preview redacts (64 KiB of characters).</summary>
    private const int MaxPreviewLength = 64 * 1024;

    public static async Task<Results<Ok<RedactionPreviewResponse>, ProblemHttpResult>> Preview(
        Guid id, RedactionPreviewRequest request, WorkspaceRedactors redactors, CancellationToken cancellationToken)
    {
        if (request.Text is not { Length: <= MaxPreviewLength } text)
        {
            return ApiProblems.Validation("text", $"text is required: at most {MaxPreviewLength} characters.");
        }

        var redactor = await redactors.ForAsync(id, cancellationToken);
        var redacted = redactor.Redact(text, out var count);
        return TypedResults.Ok(new RedactionPreviewResponse(redacted, count));
    }
}
