using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Insights;

/// <summary>
/// The SQL of the project health report: per project, the tagged sessions that started in the period and in the period
/// before it, added up in one grouped pass over the workspace's conversations and their insight rows.
/// </summary>
internal static class HealthQueries
{
    private const string SessionStart = InsightSessions.SessionStart;

    private const string CountsSql = $"""
        SELECT c.project_id, ({SessionStart} >= @from) AS current,
               count(*)::int AS sessions,
               count(i.conversation_id)::int AS tagged,
               count(*) FILTER (WHERE i.outcome = 'success')::int AS success,
               count(*) FILTER (WHERE i.outcome = 'partial')::int AS partial,
               count(*) FILTER (WHERE i.outcome IN ('success', 'partial', 'failed', 'abandoned'))::int AS decided,
               coalesce(sum(i.error_count), 0)::int AS tool_errors,
               coalesce(sum(i.unresolved_errors), 0)::int AS unresolved_errors,
               coalesce(sum(i.iterations), 0)::int AS iterations,
               count(*) FILTER (WHERE i.files_changed > 0)::int AS changed,
               count(*) FILTER (WHERE i.files_changed > 0 AND i.test_runs > 0)::int AS changed_tested,
               count(*) FILTER (WHERE i.files_changed > 0 AND i.last_test_passed)::int AS changed_passing
        FROM conversations c
        LEFT JOIN session_insights i ON i.conversation_id = c.id
        WHERE c.workspace_id = @workspace AND c.project_id IS NOT NULL AND (CAST(@project AS uuid) IS NULL OR c.project_id = @project)
          AND {SessionStart} >= @previous AND {SessionStart} < @to
        GROUP BY 1, 2
        """;

    private const string ProjectsSql = """
        SELECT p.id, p.name FROM projects p
        WHERE p.workspace_id = @workspace AND (CAST(@project AS uuid) IS NULL OR p.id = @project)
        """;

    /// <summary>The projects of the workspace (or only <paramref name="project"/>) with their health, best score first.</summary>
    public static async Task<List<ProjectHealth>> ProjectsAsync(
        QueryDbContext db, Guid workspace, Guid? project, HealthPeriod period, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var parameters = new { workspace, project, previous = period.PreviousFrom, from = period.From, to = period.To };
        var projects = await connection.QueryAsync<ProjectRow>(new CommandDefinition(ProjectsSql, parameters, cancellationToken: cancellationToken));
        var counts = (await connection.QueryAsync<CountsRow>(new CommandDefinition(CountsSql, parameters, cancellationToken: cancellationToken)))
            .ToDictionary(row => (row.ProjectId, row.Current), row => row.ToCounts());
        return projects
            .Select(p => HealthScore.Compute(p.Id, p.Name, counts.GetValueOrDefault((p.Id, true), HealthCounts.None), counts.GetValueOrDefault((p.Id, false), HealthCounts.None)))
            .OrderByDescending(h => h.Score ?? -1).ThenByDescending(h => h.TaggedSessions).ThenBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
    }

    private sealed class ProjectRow
    {
        public Guid Id { get; init; }
        public required string Name { get; init; }
    }

    private sealed class CountsRow
    {
        public Guid ProjectId { get; init; }
        public bool Current { get; init; }
        public int Sessions { get; init; }
        public int Tagged { get; init; }
        public int Success { get; init; }
        public int Partial { get; init; }
        public int Decided { get; init; }
        public int ToolErrors { get; init; }
        public int UnresolvedErrors { get; init; }
        public int Iterations { get; init; }
        public int Changed { get; init; }
        public int ChangedTested { get; init; }
        public int ChangedPassing { get; init; }

        public HealthCounts ToCounts() =>
            new(Sessions, Tagged, Success, Partial, Decided, ToolErrors, UnresolvedErrors, Iterations, Changed, ChangedTested, ChangedPassing);
    }
}

/// <summary>A health report's period: <see cref="From"/> to <see cref="To"/>, and the period of the same length before it for the trend.</summary>
internal readonly record struct HealthPeriod(DateTimeOffset PreviousFrom, DateTimeOffset From, DateTimeOffset To)
{
    public static HealthPeriod Ending(DateTimeOffset to, int days) => new(to.AddDays(-2 * days), to.AddDays(-days), to);
}
