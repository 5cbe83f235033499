using CatSyphon.Protocol;
using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Stats;

/// <summary>The SQL of the outcome and intent distribution: the range's sessions joined with their insight rows.</summary>
internal static class InsightQueries
{
    private const string DistributionSql = """
        SELECT i.outcome, i.intent, count(*)::int AS sessions
        FROM conversations c JOIN session_insights i ON i.conversation_id = c.id
        WHERE c.workspace_id = @workspace AND {0}
        GROUP BY i.outcome, i.intent
        """;

    private const string SessionsSql = "SELECT count(*)::int FROM conversations c WHERE c.workspace_id = @workspace AND {0}";

    private sealed record Cell(string Outcome, string Intent, int Sessions);

    public static async Task<InsightReport> ReportAsync(
        QueryDbContext db, Guid workspace, Guid? projectId, TimeRange range, CancellationToken cancellationToken)
    {
        const string SessionStart = "coalesce(c.started_at, c.first_event_at)";
        var where = $"(@project::uuid IS NULL OR c.project_id = @project) AND (@from::timestamptz IS NULL OR {SessionStart} >= @from) AND (@to::timestamptz IS NULL OR {SessionStart} < @to)";
        var parameters = new { workspace, project = projectId, from = SqlQueries.Utc(range.From), to = SqlQueries.Utc(range.To) };
        var connection = db.Database.GetDbConnection();
        var cells = (await connection.QueryAsync<Cell>(new CommandDefinition(string.Format(DistributionSql, where), parameters, cancellationToken: cancellationToken))).ToList();
        var sessions = await connection.ExecuteScalarAsync<int>(new CommandDefinition(string.Format(SessionsSql, where), parameters, cancellationToken: cancellationToken));
        return new InsightReport(
            workspace, range.From, range.To, sessions, cells.Sum(c => c.Sessions),
            Counts(WireName.All<SessionOutcome>(), cells.ToLookup(c => c.Outcome, c => c.Sessions)),
            Counts(WireName.All<SessionIntent>(), cells.ToLookup(c => c.Intent, c => c.Sessions)));
    }

    /// <summary>Every value in declaration order, with its count (zero when no session has it).</summary>
    private static Dictionary<string, int> Counts(IReadOnlyList<string> values, ILookup<string, int> counts) =>
        values.ToDictionary(value => value, value => counts[value].Sum());
}
