using System.Globalization;

namespace CatSyphon.Contracts;

/// <summary>
/// One part of a project's health score: its value 0-100 (null when the period has too little data for it), its weight
/// and the weight it got once the parts without data were left out, what it was computed from in words, and the raw
/// numbers behind it (<c>decided</c>, <c>success</c>, <c>errors_per_session</c>...).
/// </summary>
public sealed record HealthPart(
    string Name, string Label, int? Score, double Weight, double AppliedWeight, string Explanation, IReadOnlyDictionary<string, double> Numbers);

/// <summary>
/// A project's health over a period: its score 0-100, the weighted mean of its <see cref="Parts"/>, or null with
/// <see cref="NotEnoughData"/> saying why when the period has fewer tagged sessions than the report's minimum.
/// </summary>
public sealed record ProjectHealth(
    Guid ProjectId, string Name, int Sessions, int TaggedSessions, int? Score, string? NotEnoughData, IReadOnlyList<HealthPart> Parts);

/// <summary>
/// The health of a workspace's projects over <see cref="Days"/> days ending at <see cref="To"/> (the trend compares with
/// the same length before <see cref="From"/>), best score first; <see cref="Formula"/> says how a score is computed.
/// </summary>
public sealed record HealthReport(
    Guid WorkspaceId, int Days, DateTimeOffset From, DateTimeOffset To, int MinimumSessions, string Formula, IReadOnlyList<ProjectHealth> Projects);

/// <summary>One project's health (<see cref="HealthReport"/>) with the sessions of the period that weigh on it most.</summary>
public sealed record ProjectHealthReport(
    Guid WorkspaceId, int Days, DateTimeOffset From, DateTimeOffset To, int MinimumSessions, string Formula, ProjectHealth Project,
    IReadOnlyList<DigestSession> Setbacks);

/// <summary>
/// A measure of a week with the previous week's value and the change (value minus previous); a value is null when the
/// week has nothing to compute it from (a success rate without decided outcomes).
/// </summary>
public sealed record DigestMetric(string Name, string Label, decimal? Value, decimal? Previous, decimal? Change)
{
    /// <summary>A value as a digest shows it, on the page and in the Markdown alike: up to two decimals, <c>n/a</c> for none.</summary>
    public static string Show(decimal? value) => value?.ToString("#,0.##", CultureInfo.InvariantCulture) ?? "n/a";

    /// <summary>A change with its sign: <c>+3</c>, <c>-1.5</c>, <c>0</c>.</summary>
    public static string ShowChange(decimal? change) => change switch
    {
        null => "n/a",
        > 0 => "+" + Show(change),
        _ => Show(change),
    };
}

/// <summary>
/// A session named in a digest or report: its title (session text, shown as text), where and by whom, its link in the
/// web, and the LLM's summary of it when the optional LLM insights are on (session-derived text too).
/// </summary>
public sealed record DigestSession(
    Guid ConversationId, string? Title, string? Project, string? Developer, SessionOutcome Outcome, int Commits, int FilesChanged,
    int UnresolvedErrors, DateTimeOffset? StartedAt, double? DurationMinutes, string Link, string? AiSummary = null);

/// <summary>A name with how many times it occurs (an error target, a project's sessions, a language's sessions).</summary>
public sealed record DigestCount(string Name, int Count);

/// <summary>The week's notable things: its longest session, its most active project, who and what is new, the top languages.</summary>
public sealed record DigestHighlights(
    DigestSession? LongestSession, DigestCount? MostActiveProject, IReadOnlyList<string> NewProjects, IReadOnlyList<string> NewDevelopers,
    IReadOnlyList<DigestCount> TopLanguages);

/// <summary>A further section of a digest (such as one an LLM adds): a title and its lines, rendered as text.</summary>
public sealed record DigestSection(string Title, IReadOnlyList<string> Lines);

/// <summary>
/// A workspace's weekly digest for an ISO week (UTC, Monday to Monday): metrics against the previous week, wins (successful
/// sessions with the most commits and files changed), blockers (failed or abandoned sessions, and what errors stayed
/// unresolved on most), highlights, and any further sections.
/// </summary>
public sealed record WeeklyDigest(
    Guid WorkspaceId, string Week, DateTimeOffset From, DateTimeOffset To, string PreviousWeek, IReadOnlyList<DigestMetric> Metrics,
    IReadOnlyList<DigestSession> Wins, IReadOnlyList<DigestSession> Blockers, IReadOnlyList<DigestCount> ErrorTargets,
    DigestHighlights Highlights, IReadOnlyList<DigestSection> Sections);
