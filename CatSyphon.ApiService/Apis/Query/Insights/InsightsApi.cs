namespace CatSyphon.ApiService.Apis.Query.Insights;

/// <summary>
/// Team insights of a workspace from its sessions' deterministic tags: the health of each project (an evidence-based score
/// with its parts, <see cref="HealthScore"/>) and the weekly digest (<see cref="DigestBuilder"/>), also as Markdown.
/// </summary>
public static class InsightsApi
{
    private const string MarkdownType = "text/markdown";

    /// <summary>At most this many sessions are named as a project's setbacks.</summary>
    private const int SetbackLimit = 10;

    private static readonly (int Default, int Min, int Max) Days = (30, 7, 365);

    private static readonly string DaysRule = $"days must be between {Days.Min} and {Days.Max}.";

    public static RouteGroupBuilder MapInsightsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/insights", "Insights");

        api.MapGet("/health", GetHealth)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .Check<int?>("days", ValidDays, DaysRule)
            .WithSummary("The health of every project of a workspace over the last `days` days (default 30): a score 0-100 with its parts and their numbers, best first");
        api.MapGet("/health/{projectId:guid}", GetProjectHealth)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .Check<int?>("days", ValidDays, DaysRule)
            .WithSummary("One project's health over the last `days` days: its score, each part with its numbers, and the sessions that weigh on it most");
        api.MapGet("/digest", GetDigest)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("The workspace's digest of an ISO week (`week=2026-W49`, UTC; default the last complete week): metrics against the previous week, wins, blockers, highlights");
        api.MapGet("/digest.md", GetDigestMarkdown)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .Produces<string>(StatusCodes.Status200OK, MarkdownType)
            .WithSummary("The same weekly digest as Markdown to paste into a team channel (session text escaped); `link_base` makes session links absolute");
        return api;
    }

    public static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> GetHealth(
        [AsParameters] WorkspaceScope workspace, [FromQuery(Name = "days")] int? days, QueryDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (length, period) = Period(days, time);
        var projects = await HealthQueries.ProjectsAsync(db, workspace.Id, null, period, cancellationToken);
        return TypedResults.Ok(new HealthReport(workspace.Id, length, period.From, period.To, HealthScore.MinimumSessions, HealthScore.Formula, projects));
    }

    public static async Task<Results<Ok<ProjectHealthReport>, ProblemHttpResult>> GetProjectHealth(
        Guid projectId, [AsParameters] WorkspaceScope workspace, [FromQuery(Name = "days")] int? days, QueryDbContext db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (length, period) = Period(days, time);
        if ((await HealthQueries.ProjectsAsync(db, workspace.Id, projectId, period, cancellationToken)).SingleOrDefault() is not { } project)
        {
            return ApiProblems.NotInWorkspace("project", projectId);
        }

        var setbacks = await InsightSessions.ReadAsync(
            db.Database.GetDbConnection(), "c.project_id = @project AND i.outcome IN ('failed', 'abandoned', 'partial')",
            "i.unresolved_errors DESC, started_at DESC", new { workspace = workspace.Id, project = projectId, from = period.From, to = period.To, limit = SetbackLimit },
            workspace.Id, cancellationToken);
        return TypedResults.Ok(new ProjectHealthReport(
            workspace.Id, length, period.From, period.To, HealthScore.MinimumSessions, HealthScore.Formula, project, setbacks));
    }

    public static async Task<Results<Ok<WeeklyDigest>, ProblemHttpResult>> GetDigest(
        [AsParameters] WorkspaceScope workspace, [FromQuery(Name = "week")] string? week, QueryDbContext db, PricedTokenTotals tokens,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (Week(week, time) is not { } isoWeek)
        {
            return WeekProblem();
        }

        return TypedResults.Ok(DigestBuilder.Build(await DigestQueries.FactsAsync(db, tokens, workspace.Id, isoWeek, cancellationToken)));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetDigestMarkdown(
        [AsParameters] WorkspaceScope workspace, [FromQuery(Name = "week")] string? week, [FromQuery(Name = "link_base")] string? linkBase,
        QueryDbContext db, PricedTokenTotals tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Week(week, time) is not { } isoWeek)
        {
            return WeekProblem();
        }

        if (linkBase is not null && !IsWebAddress(linkBase))
        {
            return ApiProblems.Validation("link_base", "link_base must be an absolute http or https address without credentials, query or fragment.");
        }

        var digest = DigestBuilder.Build(await DigestQueries.FactsAsync(db, tokens, workspace.Id, isoWeek, cancellationToken));
        return TypedResults.Text(DigestMarkdown.Render(digest, linkBase), $"{MarkdownType}; charset=utf-8");
    }

    private static bool ValidDays(int? days) => days is null || days >= Days.Min && days <= Days.Max;

    private static (int Days, HealthPeriod Period) Period(int? days, TimeProvider time)
    {
        var length = days ?? Days.Default;
        return (length, HealthPeriod.Ending(time.GetUtcNow(), length));
    }

    /// <summary>The requested week, or the last complete one; null when <paramref name="week"/> names none that has begun.</summary>
    private static IsoWeek? Week(string? week, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return week is null ? IsoWeek.LastCompleteBefore(now) : IsoWeek.TryParse(week, now, out var parsed) ? parsed : null;
    }

    private static ProblemHttpResult WeekProblem() =>
        ApiProblems.Validation("week", "week must be an ISO week such as 2026-W49 (year, then W and the week number) that has begun.");

    private static bool IsWebAddress(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && text.Length <= 300 && !text.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '<' or '>');
}
