using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace CatSyphon.ApiService.Apis.Query.Plans;

/// <summary>Plans written during sessions, their versions, and the difference between two versions.</summary>
public static class PlansApi
{
    private static readonly OptionalCount PlanPage = new(Default: 50, Max: 500);

    public static RouteGroupBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/plans", "Plans");

        api.MapGet("/", ListPlans)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckRange("limit", PlanPage)
            .WithSummary("Plans of a workspace (optionally of one conversation), most recently updated first");
        api.MapGet("/{id:guid}", GetPlan).RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("A plan with every version's content");
        api.MapGet("/{id:guid}/diff", DiffPlan).RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("Side-by-side line diff between two versions of a plan (default: the last two)");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<PlanSummary>>, ProblemHttpResult>> ListPlans(
        [AsParameters] WorkspaceScope workspace,
        [FromQuery(Name = "conversation_id")] Guid? conversationId,
        [FromQuery(Name = "limit")] int? limit,
        QueryDbContext db,
        RequestAccess access,
        CancellationToken cancellationToken)
    {
        var plans = PlanQueries.Readable(db, workspace.Id, access);
        if (conversationId is { } conversation)
        {
            plans = plans.Where(p => p.ConversationId == conversation);
        }

        IReadOnlyList<PlanSummary> page = await PlanQueries.Summaries(plans.OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.Id).Take(PlanPage.Or(limit)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<PlanDetail>, ProblemHttpResult>> GetPlan(
        Guid id,
        [AsParameters] WorkspaceScope workspace,
        QueryDbContext db,
        RequestAccess access,
        CancellationToken cancellationToken)
    {
        var plan = await PlanQueries.Summaries(PlanQueries.Readable(db, workspace.Id, access).Where(p => p.Id == id)).SingleOrDefaultAsync(cancellationToken);
        return plan is null
            ? PlanNotFound(id)
            : TypedResults.Ok(new PlanDetail(plan, await PlanQueries.VersionsAsync(db, id, cancellationToken)));
    }

    public static async Task<Results<Ok<PlanDiff>, ProblemHttpResult>> DiffPlan(
        Guid id,
        [AsParameters] WorkspaceScope workspace,
        [FromQuery(Name = "from")] int? from,
        [FromQuery(Name = "to")] int? to,
        QueryDbContext db,
        RequestAccess access,
        CancellationToken cancellationToken)
    {
        if (!await PlanQueries.Readable(db, workspace.Id, access).AnyAsync(p => p.Id == id, cancellationToken))
        {
            return PlanNotFound(id);
        }

        var versions = await db.PlanVersions.AsNoTracking().Where(v => v.PlanId == id)
            .ToDictionaryAsync(v => v.Version, v => v.Content, cancellationToken);
        var newest = versions.Count == 0 ? 0 : versions.Keys.Max();
        var newer = to ?? newest;
        var older = from ?? newer - 1;
        foreach (var (field, version) in new[] { ("from", older), ("to", newer) })
        {
            if (!versions.ContainsKey(version))
            {
                return ApiProblems.Validation(field, versions.Count < 2 && from is null && to is null
                    ? "The plan has fewer than two versions."
                    : $"{field}: the plan has no version {version} (it has {string.Join(", ", versions.Keys.Order())}).");
            }
        }

        return TypedResults.Ok(Diff(id, older, versions[older], newer, versions[newer]));
    }

    private static PlanDiff Diff(Guid planId, int from, string oldText, int to, string newText)
    {
        var model = SideBySideDiffBuilder.Diff(oldText, newText, ignoreWhiteSpace: false);
        var lines = new List<PlanDiffLine>(Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count));
        int added = 0, deleted = 0, changed = 0;
        for (var i = 0; i < Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count); i++)
        {
            var left = i < model.OldText.Lines.Count ? model.OldText.Lines[i] : null;
            var right = i < model.NewText.Lines.Count ? model.NewText.Lines[i] : null;
            var change = (left?.Type, right?.Type) switch
            {
                (ChangeType.Unchanged, ChangeType.Unchanged) => "unchanged",
                (ChangeType.Imaginary or null, _) => "added",
                (_, ChangeType.Imaginary or null) => "deleted",
                _ => "changed",
            };
            switch (change)
            {
                case "added": added++; break;
                case "deleted": deleted++; break;
                case "changed": changed++; break;
            }

            lines.Add(new PlanDiffLine(
                change,
                left is { Type: not ChangeType.Imaginary } ? left.Position : null,
                left is { Type: not ChangeType.Imaginary } ? left.Text : null,
                right is { Type: not ChangeType.Imaginary } ? right.Position : null,
                right is { Type: not ChangeType.Imaginary } ? right.Text : null));
        }

        return new PlanDiff(planId, from, to, added, deleted, changed, lines);
    }

    private static ProblemHttpResult PlanNotFound(Guid id) => ApiProblems.NotInWorkspace("plan", id);
}
