using System.Data.Common;
using CatSyphon.Protocol;
using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Insights;

/// <summary>
/// The sessions the team reports name (wins, blockers, setbacks, the longest): one column list and row shape for all, each
/// report adding its own filter and order, the link to the session's page in the web, and the LLM's summary of the
/// session when the optional LLM insights have one.
/// </summary>
internal static class InsightSessions
{
    public const string SessionStart = "coalesce(c.started_at, c.first_event_at)";

    /// <summary>Sessions of a workspace that started in [@from, @to) with their tags (none yet: outcome unknown); {0} filters, {1} orders.</summary>
    public const string SelectSql = $$"""
        SELECT c.id AS conversation_id, c.title, p.name AS project, coalesce(d.display_name, d.username) AS developer,
               coalesce(i.outcome, 'unknown') AS outcome, coalesce(i.commits, 0) AS commits, coalesce(i.files_changed, 0) AS files_changed,
               coalesce(i.unresolved_errors, 0) AS unresolved_errors, {{SessionStart}} AS started_at,
               (extract(epoch FROM coalesce(c.ended_at, c.last_event_at) - {{SessionStart}}) / 60)::float8 AS duration_minutes,
               l.summary AS ai_summary
        FROM conversations c
        LEFT JOIN session_insights i ON i.conversation_id = c.id
        LEFT JOIN session_llm_insights l ON l.conversation_id = c.id
        LEFT JOIN projects p ON p.id = c.project_id
        LEFT JOIN developers d ON d.id = c.developer_id
        WHERE c.workspace_id = @workspace AND {{SessionStart}} >= @from AND {{SessionStart}} < @to AND {0}
        ORDER BY {1}, c.id
        LIMIT @limit
        """;

    /// <summary>The web's page of a session (CatSyphon.Web's <c>WorkspaceRoutes.Session</c>).</summary>
    public static string Link(Guid workspace, Guid conversation) => $"/w/{workspace}/sessions/{conversation}";

    public static async Task<List<DigestSession>> ReadAsync(
        DbConnection connection, string filter, string order, object parameters, Guid workspace, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<SessionRow>(new CommandDefinition(string.Format(SelectSql, filter, order), parameters, cancellationToken: cancellationToken)))
            .Select(row => row.ToSession(workspace)).ToList();

    internal sealed class SessionRow
    {
        public Guid ConversationId { get; init; }
        public string? Title { get; init; }
        public string? Project { get; init; }
        public string? Developer { get; init; }
        public required string Outcome { get; init; }
        public int Commits { get; init; }
        public int FilesChanged { get; init; }
        public int UnresolvedErrors { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public double? DurationMinutes { get; init; }
        public string? AiSummary { get; init; }

        public DigestSession ToSession(Guid workspace) => new(
            ConversationId, Title, Project, Developer, WireName.Parse<SessionOutcome>(Outcome), Commits, FilesChanged, UnresolvedErrors,
            StartedAt, DurationMinutes is { } minutes ? Math.Round(minutes, 1) : null, Link(workspace, ConversationId), AiSummary);
    }
}
