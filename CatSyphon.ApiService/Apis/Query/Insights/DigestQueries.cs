using System.Globalization;
using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Insights;

/// <summary>
/// The SQL of the weekly digest: the week's and the previous week's measures (sessions that started in them, tokens spent
/// in them), the sessions its sections name, its highlights and what the optional LLM insights said about the week's
/// sessions; one round trip for all but the tokens.
/// </summary>
internal static class DigestQueries
{
    private const string SessionStart = InsightSessions.SessionStart;

    private const string InWeek = $"c.workspace_id = @workspace AND {SessionStart} >= @from AND {SessionStart} < @to";

    private const string MeasuresSql = $"""
        SELECT ({SessionStart} >= @from) AS current, count(*)::int AS sessions, count(DISTINCT c.developer_id)::int AS developers,
               count(*) FILTER (WHERE i.outcome IN ('success', 'partial', 'failed', 'abandoned'))::int AS decided,
               count(*) FILTER (WHERE i.outcome = 'success')::int AS success, count(*) FILTER (WHERE i.outcome = 'partial')::int AS partial,
               coalesce(sum(i.error_count), 0)::int AS tool_errors, coalesce(sum(i.test_runs), 0)::int AS test_runs,
               coalesce(sum(i.commits), 0)::int AS commits
        FROM conversations c LEFT JOIN session_insights i ON i.conversation_id = c.id
        WHERE c.workspace_id = @workspace AND {SessionStart} >= @previous AND {SessionStart} < @to
        GROUP BY 1;
        """;

    private const string HighlightsSql = $"""
        SELECT t.name, count(*)::int AS count FROM conversations c JOIN session_insights i ON i.conversation_id = c.id, unnest(i.error_targets) AS t(name)
        WHERE {InWeek} GROUP BY t.name ORDER BY count(*) DESC, t.name LIMIT @limit;
        SELECT p.name, count(*)::int AS count FROM conversations c JOIN projects p ON p.id = c.project_id
        WHERE {InWeek} GROUP BY p.id, p.name ORDER BY count(*) DESC, p.name LIMIT 1;
        SELECT p.name FROM projects p JOIN conversations c ON c.project_id = p.id WHERE p.workspace_id = @workspace
        GROUP BY p.id, p.name HAVING min({SessionStart}) >= @from AND min({SessionStart}) < @to ORDER BY p.name LIMIT @names;
        SELECT coalesce(d.display_name, d.username) FROM developers d JOIN conversations c ON c.developer_id = d.id WHERE d.workspace_id = @workspace
        GROUP BY d.id HAVING min({SessionStart}) >= @from AND min({SessionStart}) < @to ORDER BY 1 LIMIT @names;
        SELECT l.name, count(*)::int AS count FROM conversations c JOIN session_insights i ON i.conversation_id = c.id, unnest(i.languages) AS l(name)
        WHERE {InWeek} GROUP BY l.name ORDER BY count(*) DESC, l.name LIMIT @limit;
        SELECT l.sentiment AS name, count(*)::int AS count FROM conversations c JOIN session_llm_insights l ON l.conversation_id = c.id
        WHERE {InWeek} AND l.sentiment IS NOT NULL GROUP BY l.sentiment ORDER BY count(*) DESC, l.sentiment;
        SELECT t.name, count(*)::int AS count FROM conversations c JOIN session_llm_insights l ON l.conversation_id = c.id, unnest(l.problems) AS t(name)
        WHERE {InWeek} GROUP BY t.name ORDER BY count(*) DESC, t.name LIMIT @limit;
        SELECT t.name, count(*)::int AS count FROM conversations c JOIN session_llm_insights l ON l.conversation_id = c.id, unnest(l.learning_opportunities) AS t(name)
        WHERE {InWeek} GROUP BY t.name ORDER BY count(*) DESC, t.name LIMIT @limit;
        """;

    /// <summary>At most this many new projects and new developers are named.</summary>
    private const int NameLimit = 10;

    public static async Task<DigestFacts> FactsAsync(
        QueryDbContext db, PricedTokenTotals tokens, Guid workspace, IsoWeek week, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var previous = week.Previous;
        var parameters = new { workspace, previous = previous.Start, from = week.Start, to = week.End, limit = DigestBuilder.ListLimit, names = NameLimit };
        var measures = (await connection.QueryAsync<MeasuresRow>(new CommandDefinition(MeasuresSql, parameters, cancellationToken: cancellationToken)))
            .ToDictionary(row => row.Current);
        var wins = await InsightSessions.ReadAsync(connection, "i.outcome = 'success' AND (i.commits > 0 OR i.files_changed > 0)",
            "i.commits DESC, i.files_changed DESC, started_at", parameters, workspace, cancellationToken);
        var blockers = await InsightSessions.ReadAsync(connection, "i.outcome IN ('failed', 'abandoned')",
            "i.unresolved_errors DESC, started_at DESC", parameters, workspace, cancellationToken);
        var longest = await InsightSessions.ReadAsync(connection, "TRUE", "duration_minutes DESC NULLS LAST", parameters with { limit = 1 }, workspace, cancellationToken);
        DigestHighlights highlights;
        IReadOnlyList<DigestCount> targets;
        AiWeekNotes aiNotes;
        await using (var results = await connection.QueryMultipleAsync(new CommandDefinition(HighlightsSql, parameters, cancellationToken: cancellationToken)))
        {
            targets = (await results.ReadAsync<DigestCount>()).ToList();
            var mostActive = (await results.ReadAsync<DigestCount>()).SingleOrDefault();
            var newProjects = (await results.ReadAsync<string>()).ToList();
            var newDevelopers = (await results.ReadAsync<string>()).ToList();
            var languages = (await results.ReadAsync<DigestCount>()).ToList();
            highlights = new DigestHighlights(longest.SingleOrDefault(), mostActive, newProjects, newDevelopers, languages);
            aiNotes = new AiWeekNotes(
                (await results.ReadAsync<DigestCount>()).ToList(), (await results.ReadAsync<DigestCount>()).ToList(), (await results.ReadAsync<DigestCount>()).ToList());
        }

        // One pass over both weeks' usage, keyed by which week a day belongs to (the date is the week's own, not input).
        var weekKey = string.Create(CultureInfo.InvariantCulture, $"(u.day >= DATE '{week.Start:yyyy-MM-dd}')::text");
        var spent = await tokens.QueryRangeAsync(db, weekKey, workspace, new TimeRange { From = previous.Start, To = week.End }, cancellationToken);
        return new DigestFacts(
            workspace, week, Measures(measures, spent, true), Measures(measures, spent, false), wins, blockers, targets, highlights, aiNotes);
    }

    private static WeekMeasures Measures(Dictionary<bool, MeasuresRow> rows, Dictionary<string, PricedTotals> spent, bool current)
    {
        var row = rows.GetValueOrDefault(current);
        var totals = spent.GetValueOrDefault(current ? "true" : "false") ?? PricedTotals.None;
        return row is null
            ? WeekMeasures.None with { Tokens = totals.Total, Cost = totals.Cost }
            : new WeekMeasures(row.Sessions, row.Developers, totals.Total, totals.Cost, row.Decided, row.Success, row.Partial, row.ToolErrors, row.TestRuns, row.Commits);
    }

    private sealed class MeasuresRow
    {
        public bool Current { get; init; }
        public int Sessions { get; init; }
        public int Developers { get; init; }
        public int Decided { get; init; }
        public int Success { get; init; }
        public int Partial { get; init; }
        public int ToolErrors { get; init; }
        public int TestRuns { get; init; }
        public int Commits { get; init; }
    }
}
