namespace CatSyphon.ApiService.Apis.Query.Insights;

/// <summary>A week's measures: sessions started in it and their tags added up, and the tokens and cost spent in it.</summary>
public sealed record WeekMeasures(
    int Sessions, int Developers, long Tokens, decimal Cost, int Decided, int Success, int Partial, int ToolErrors, int TestRuns, int Commits)
{
    public static readonly WeekMeasures None = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Success over decided outcomes in percent (a partial counting half, as in the health report); null without decided outcomes.</summary>
    public decimal? SuccessRate => OutcomeRates.Success(Success, Partial, Decided) is { } rate ? Math.Round(100m * (decimal)rate, 1) : null;
}

/// <summary>What the digest's query found for a week: both weeks' measures and the sessions and names its sections show.</summary>
public sealed record DigestFacts(
    Guid WorkspaceId, IsoWeek Week, WeekMeasures Current, WeekMeasures Previous, IReadOnlyList<DigestSession> Wins,
    IReadOnlyList<DigestSession> Blockers, IReadOnlyList<DigestCount> ErrorTargets, DigestHighlights Highlights,
    AiWeekNotes? AiNotes = null);

/// <summary>
/// What the optional LLM insights said about a week's sessions, each most frequent first: their sentiments, the problems
/// and the learning opportunities they named (exact texts counted alike). All empty without an LLM.
/// </summary>
public sealed record AiWeekNotes(IReadOnlyList<DigestCount> Sentiments, IReadOnlyList<DigestCount> Problems, IReadOnlyList<DigestCount> Learning);

/// <summary>
/// Builds a <see cref="WeeklyDigest"/> from a week's <see cref="DigestFacts"/>: each metric with the previous week's value
/// and the change. Pure; further sections (an LLM's, for one) are passed in and kept after the deterministic ones.
/// </summary>
public static class DigestBuilder
{
    /// <summary>Wins, blockers, error targets and languages: at most this many each.</summary>
    public const int ListLimit = 5;

    /// <summary>The section of the LLM's notes, present only when the week has any.</summary>
    public const string AiSectionTitle = "What the AI insights noticed";

    public static WeeklyDigest Build(DigestFacts facts, IReadOnlyList<DigestSection>? sections = null)
    {
        if (AiSection(facts.AiNotes) is { } ai)
        {
            sections = [.. sections ?? [], ai];
        }

        var (now, before) = (facts.Current, facts.Previous);
        IReadOnlyList<DigestMetric> metrics =
        [
            Metric("sessions", "Sessions", now.Sessions, before.Sessions),
            Metric("developers", "Developers", now.Developers, before.Developers),
            Metric("tokens", "Tokens", now.Tokens, before.Tokens),
            Metric("cost_usd", "Cost (USD)", Math.Round(now.Cost, 2), Math.Round(before.Cost, 2)),
            Metric("success_rate", "Success rate (%)", now.SuccessRate, before.SuccessRate),
            Metric("tool_errors", "Tool errors", now.ToolErrors, before.ToolErrors),
            Metric("test_runs", "Test runs", now.TestRuns, before.TestRuns),
            Metric("commits", "Commits", now.Commits, before.Commits),
        ];
        return new WeeklyDigest(
            facts.WorkspaceId, facts.Week.ToString(), facts.Week.Start, facts.Week.End, facts.Week.Previous.ToString(), metrics,
            facts.Wins.Take(ListLimit).ToList(), facts.Blockers.Take(ListLimit).ToList(), facts.ErrorTargets.Take(ListLimit).ToList(),
            facts.Highlights, sections ?? []);
    }

    /// <summary>The LLM's notes as lines of a section: sentiments in one line, then the top problems and learning opportunities.</summary>
    private static DigestSection? AiSection(AiWeekNotes? notes)
    {
        if (notes is null || (notes.Sentiments.Count == 0 && notes.Problems.Count == 0 && notes.Learning.Count == 0))
        {
            return null;
        }

        var lines = new List<string>();
        if (notes.Sentiments.Count > 0)
        {
            lines.Add("Sentiment: " + string.Join(", ", notes.Sentiments.Select(s => $"{s.Name} {s.Count}")));
        }

        lines.AddRange(notes.Problems.Take(ListLimit).Select(p => $"Problem ({Sessions(p.Count)}): {p.Name}"));
        lines.AddRange(notes.Learning.Take(ListLimit).Select(l => $"To learn ({Sessions(l.Count)}): {l.Name}"));
        return new DigestSection(AiSectionTitle, lines);
    }

    private static string Sessions(int count) => count == 1 ? "1 session" : $"{count} sessions";

    private static DigestMetric Metric(string name, string label, decimal? value, decimal? previous) =>
        new(name, label, value, previous, value is { } current && previous is { } earlier ? current - earlier : null);
}
