using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Stats;

/// <summary>
/// The SQL of team analytics over a date range (of the whole workspace or one project), per group. Session measures (sessions, messages, tool calls, developers,
/// outcomes, durations) count the sessions that started in the range; token measures count the API responses
/// made in the range (each once, see <c>token_usages</c>, read from its daily rollup), so a session that crosses a day
/// boundary puts its tokens on the days they were spent. By model, a session counts under every model it used (any day).
/// </summary>
internal static class ActivityQueries
{
    private const string SessionStart = "coalesce(c.started_at, c.first_event_at)";

    public static readonly Dictionary<string, Grouping> Groupings = new(StringComparer.Ordinal)
    {
        ["day"] = new($"to_char({SessionStart} AT TIME ZONE 'UTC', 'YYYY-MM-DD')", "to_char(u.day, 'YYYY-MM-DD')"),
        ["model"] = new("um.model", "u.model", "JOIN (SELECT DISTINCT conversation_id, model FROM token_usage_days WHERE workspace_id = @workspace AND responses > 0) um ON um.conversation_id = c.id"),
        ["project"] = new("c.project_id::text", "c.project_id::text"),
        ["developer"] = new("c.developer_id::text", "c.developer_id::text"),
        ["agent_type"] = new("c.agent_type", "c.agent_type"),
    };

    /// <summary>
    /// The report's groups (<paramref name="groupBy"/> is a key of <see cref="Groupings"/>) and its totals. The priced tokens
    /// take about as long as the session measures, so they run at once, on <paramref name="tokensDb"/>'s connection.
    /// </summary>
    public static async Task<(List<ActivityGroup> Groups, ActivityGroup Totals)> ReportAsync(
        QueryDbContext db, QueryDbContext tokensDb, PricedTokenTotals pricedTokens, string groupBy, ActivityRange range,
        CancellationToken cancellationToken)
    {
        var grouping = Groupings[groupBy];
        var tokensQuery = pricedTokens.QueryRangeAsync(tokensDb, grouping.TokenKey, range.Workspace, range.Times, cancellationToken, range.Project);
        var sessionsQuery = SessionMeasuresAsync(db, groupBy, grouping, range, cancellationToken);
        await Task.WhenAll(tokensQuery, sessionsQuery);
        var tokens = await tokensQuery;
        var (labels, groupSessions, totalSessions) = await sessionsQuery;

        // Each API response is in exactly one group, so the token totals are the groups' sum (pricing them again took
        // about a sixth of the report's time on a large workspace); by model a session can sit in several groups, so the
        // session measures of the totals are counted on their own.
        Dictionary<string, PricedTotals> tokenTotals = tokens.Count == 0
            ? []
            : new() { [""] = tokens.Values.Aggregate(PricedTotals.None, (sum, group) => sum.Add(group)) };
        return (Groups(groupSessions, labels, tokens), Groups(totalSessions, labels, tokenTotals).SingleOrDefault() ?? new ActivityGroup());
    }

    /// <summary>The labels of the groups, and the session measures per group and over the whole range.</summary>
    private static async Task<(IReadOnlyDictionary<string, string> Labels, SessionMeasures Groups, SessionMeasures Totals)> SessionMeasuresAsync(
        QueryDbContext db, string groupBy, Grouping grouping, ActivityRange range, CancellationToken cancellationToken)
    {
        var labels = await LabelsAsync(groupBy, db, range.Workspace, cancellationToken);
        var groups = await QuerySessionsAsync(db, grouping, range, cancellationToken);
        var totals = await QuerySessionsAsync(db, Totals, range, cancellationToken);
        return (labels, groups, totals);
    }

    /// <summary>The session measures and outcomes of each group of <paramref name="grouping"/>, by key.</summary>
    private static async Task<SessionMeasures> QuerySessionsAsync(
        QueryDbContext db, Grouping grouping, ActivityRange range, CancellationToken cancellationToken)
    {
        var (workspace, times, project) = range;
        var connection = db.Database.GetDbConnection();
        var parameters = new { workspace, from = SqlQueries.Utc(times.From), to = SqlQueries.Utc(times.To), project };
        const string inRange = $"""
            (CAST(@from AS timestamptz) IS NULL OR {SessionStart} >= @from) AND (CAST(@to AS timestamptz) IS NULL OR {SessionStart} < @to)
            AND (CAST(@project AS uuid) IS NULL OR c.project_id = @project)
            """;
        // Session measures read straight into a group (with no tokens); outcomes, labels and tokens are added later.
        var sessions = (await connection.QueryAsync<ActivityGroup>(new CommandDefinition($"""
            SELECT {grouping.SessionKey} AS key, count(*) AS sessions, coalesce(sum(c.message_count), 0) AS messages,
                   coalesce(sum(c.tool_call_count), 0) AS tool_calls, count(DISTINCT c.developer_id) AS active_developers,
                   avg(extract(epoch FROM coalesce(c.ended_at, c.last_event_at) - {SessionStart}))::float8 AS average_duration_seconds,
                   coalesce(sum(extract(epoch FROM coalesce(c.ended_at, c.last_event_at) - {SessionStart})), 0)::float8 AS total_duration_seconds
            FROM conversations c {grouping.SessionJoin}
            WHERE c.workspace_id = @workspace AND {inRange}
            GROUP BY 1
            """, parameters, cancellationToken: cancellationToken))).ToDictionary(r => r.Key ?? "");
        // The outcome a collector reported and the one the worker tagged, counted in one pass.
        var outcomes = (await connection.QueryAsync<OutcomeRow>(new CommandDefinition($"""
            SELECT {grouping.SessionKey} AS key, c.outcome, i.outcome AS tagged_outcome, count(*) AS sessions
            FROM conversations c {grouping.SessionJoin} LEFT JOIN session_insights i ON i.conversation_id = c.id
            WHERE c.workspace_id = @workspace AND (c.outcome IS NOT NULL OR i.outcome IS NOT NULL) AND {inRange}
            GROUP BY 1, 2, 3
            """, parameters, cancellationToken: cancellationToken))).ToLookup(r => r.Key ?? "");
        return new SessionMeasures(sessions, outcomes);
    }

    /// <summary>The groups of <paramref name="measures"/> and <paramref name="tokens"/> (by key), in key order.</summary>
    private static List<ActivityGroup> Groups(
        SessionMeasures measures, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, PricedTotals> tokens) =>
        measures.Sessions.Keys.Union(tokens.Keys).Order(StringComparer.Ordinal)
            .Select(key => Group(key.Length == 0 ? null : key, labels, measures.Sessions.GetValueOrDefault(key), measures.Outcomes[key], tokens.GetValueOrDefault(key)))
            .ToList();

    private static ActivityGroup Group(string? key, IReadOnlyDictionary<string, string> labels, ActivityGroup? sessions, IEnumerable<OutcomeRow> outcomes, PricedTotals? tokens)
    {
        var rows = outcomes.ToList();
        var counts = CountBy(rows, o => o.Outcome);
        var tagged = CountBy(rows, o => o.TaggedOutcome);
        var decided = counts.Values.Sum();
        var group = (sessions ?? new ActivityGroup()) with
        {
            Key = key,
            Label = key is null ? null : labels.GetValueOrDefault(key),
            Outcomes = counts,
            OutcomeRates = counts.ToDictionary(pair => pair.Key, pair => (double)pair.Value / decided, StringComparer.Ordinal),
            TaggedOutcomes = tagged,
            SuccessRate = OutcomeRates.Success(tagged),
        };
        return group.WithTotals(tokens);
    }

    private static Dictionary<string, long> CountBy(List<OutcomeRow> rows, Func<OutcomeRow, string?> outcome) => rows
        .Where(row => outcome(row) is not null)
        .GroupBy(row => outcome(row)!, StringComparer.Ordinal)
        .ToDictionary(same => same.Key, same => same.Sum(row => row.Sessions), StringComparer.Ordinal);

    private static async Task<IReadOnlyDictionary<string, string>> LabelsAsync(string groupBy, QueryDbContext db, Guid workspace, CancellationToken cancellationToken) => groupBy switch
    {
        "project" => await db.Projects.AsNoTracking().Where(p => p.WorkspaceId == workspace)
            .ToDictionaryAsync(p => p.Id.ToString(), p => p.Name, cancellationToken),
        "developer" => await db.Developers.AsNoTracking().Where(d => d.WorkspaceId == workspace)
            .ToDictionaryAsync(d => d.Id.ToString(), d => d.DisplayName ?? d.Username, cancellationToken),
        _ => new Dictionary<string, string>(),
    };

    public sealed record Grouping(string SessionKey, string TokenKey, string SessionJoin = "");

    public sealed record ActivityRange(Guid Workspace, TimeRange Times, Guid? Project);

    /// <summary>One group over everything in the range; its tokens are the groups' sum, so its token key is never read.</summary>
    private static readonly Grouping Totals = new("NULL::text", "NULL::text");

    private sealed record SessionMeasures(Dictionary<string, ActivityGroup> Sessions, ILookup<string, OutcomeRow> Outcomes);

    private sealed class OutcomeRow
    {
        public string? Key { get; init; }
        public string? Outcome { get; init; }
        public string? TaggedOutcome { get; init; }
        public long Sessions { get; init; }
    }
}
