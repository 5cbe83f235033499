using System.Globalization;

namespace CatSyphon.ApiService.Apis.Query.Insights;

/// <summary>
/// The tagged sessions of one project in one period, added up: outcomes, tool errors and how many stayed unresolved,
/// correction rounds, and the sessions that changed files with whether they ran tests and ended on a passing run.
/// </summary>
public sealed record HealthCounts(
    int Sessions, int Tagged, int Success, int Partial, int Decided, int ToolErrors, int UnresolvedErrors, int Iterations,
    int Changed, int ChangedTested, int ChangedPassing)
{
    public static readonly HealthCounts None = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Success over decided outcomes (not unknown), a partial counting half; null without decided outcomes.</summary>
    public double? SuccessRate => OutcomeRates.Success(Success, Partial, Decided);
}

/// <summary>
/// A project's health score: the weighted mean of five parts, each 0-100 from the period's tagged sessions. Pure, so the
/// formula is tested on its own; <see cref="Formula"/> is the one description of it (the API and the page show it).
/// </summary>
public static class HealthScore
{
    /// <summary>Below this many tagged sessions a project has no score: too few to say anything true.</summary>
    public const int MinimumSessions = 5;

    /// <summary>A part needs this many sessions of its own kind (decided outcomes, sessions that changed files).</summary>
    public const int MinimumPartSessions = 3;

    /// <summary>Errors per session at which the error-rate half scores 0.</summary>
    private const double ErrorsPerSessionAtZero = 5;

    /// <summary>Mean correction rounds at which the iterations part scores 0.</summary>
    private const double IterationsAtZero = 3;

    public const string Formula =
        "score = Σ(part × weight) ÷ Σ(weights of the parts with enough data), 0–100. " +
        "Success rate (35%) = 100 × (success + partial ÷ 2) ÷ decided outcomes (unknown left out). " +
        "Errors and recovery (20%) = 50 × max(0, 1 − tool errors per session ÷ 5) + 50 × share of errors resolved. " +
        "Iterations (15%) = 100 × max(0, 1 − mean correction rounds ÷ 3). " +
        "Test discipline (20%) = 50 × share of sessions that changed files and ran tests + 50 × share of them that ended on a passing run. " +
        "Trend (10%) = 50 + (success rate − previous period's success rate) in points, kept within 0–100. " +
        "A part needs 3 sessions of its kind (decided outcomes; sessions that changed files; decided outcomes in both periods); " +
        "a project needs 5 tagged sessions in the period for a score.";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The project's score and parts from this period's counts and the previous period's.</summary>
    public static ProjectHealth Compute(Guid projectId, string name, HealthCounts current, HealthCounts previous)
    {
        var parts = new[] { SuccessRate(current), Errors(current), Iterations(current), TestDiscipline(current), Trend(current, previous) };
        var enough = current.Tagged >= MinimumSessions;
        var weightWithData = parts.Where(p => p.Score is not null).Sum(p => p.Weight);
        var applied = parts.Select(p => p with { AppliedWeight = enough && p.Score is not null ? Math.Round(p.Weight / weightWithData, 4) : 0 }).ToList();
        int? score = enough ? (int)Math.Round(applied.Sum(p => (p.Score ?? 0) * p.AppliedWeight), MidpointRounding.AwayFromZero) : null;
        var reason = enough ? null : $"not enough data: {current.Tagged} tagged sessions in the period, {MinimumSessions} needed";
        return new ProjectHealth(projectId, name, current.Sessions, current.Tagged, score, reason, applied);
    }

    private static HealthPart SuccessRate(HealthCounts counts)
    {
        var numbers = Numbers(("decided", counts.Decided), ("success", counts.Success), ("partial", counts.Partial), ("tagged", counts.Tagged));
        return counts.Decided < MinimumPartSessions || counts.SuccessRate is not { } rate
            ? Missing("success_rate", "Success rate", 0.35, $"{counts.Decided} decided outcomes, {MinimumPartSessions} needed", numbers)
            : Part("success_rate", "Success rate", 0.35, 100 * rate,
                $"{counts.Success} success and {counts.Partial} partial of {counts.Decided} decided outcomes", numbers);
    }

    private static HealthPart Errors(HealthCounts counts)
    {
        var perSession = counts.Tagged == 0 ? 0 : (double)counts.ToolErrors / counts.Tagged;
        var resolved = counts.ToolErrors == 0 ? 1 : (double)(counts.ToolErrors - counts.UnresolvedErrors) / counts.ToolErrors;
        var numbers = Numbers(("tool_errors", counts.ToolErrors), ("unresolved", counts.UnresolvedErrors), ("sessions", counts.Tagged),
            ("errors_per_session", Math.Round(perSession, 2)), ("resolved_share", Math.Round(resolved, 4)));
        return counts.Tagged < MinimumPartSessions
            ? Missing("errors", "Errors and recovery", 0.20, $"{counts.Tagged} tagged sessions, {MinimumPartSessions} needed", numbers)
            : Part("errors", "Errors and recovery", 0.20, 50 * Math.Max(0, 1 - perSession / ErrorsPerSessionAtZero) + 50 * resolved,
                $"{perSession.ToString("0.##", Invariant)} tool errors per session, {Percent(resolved)} of them resolved", numbers);
    }

    private static HealthPart Iterations(HealthCounts counts)
    {
        var mean = counts.Tagged == 0 ? 0 : (double)counts.Iterations / counts.Tagged;
        var numbers = Numbers(("corrections", counts.Iterations), ("sessions", counts.Tagged), ("mean_corrections", Math.Round(mean, 2)));
        return counts.Tagged < MinimumPartSessions
            ? Missing("iterations", "Iterations", 0.15, $"{counts.Tagged} tagged sessions, {MinimumPartSessions} needed", numbers)
            : Part("iterations", "Iterations", 0.15, 100 * Math.Max(0, 1 - mean / IterationsAtZero),
                $"{mean.ToString("0.##", Invariant)} correction rounds per session (fewer is better)", numbers);
    }

    private static HealthPart TestDiscipline(HealthCounts counts)
    {
        var numbers = Numbers(("changed_files", counts.Changed), ("ran_tests", counts.ChangedTested), ("ended_passing", counts.ChangedPassing));
        if (counts.Changed < MinimumPartSessions)
        {
            return Missing("test_discipline", "Test discipline", 0.20, $"{counts.Changed} sessions changed files, {MinimumPartSessions} needed", numbers);
        }

        var tested = (double)counts.ChangedTested / counts.Changed;
        var passing = (double)counts.ChangedPassing / counts.Changed;
        return Part("test_discipline", "Test discipline", 0.20, 50 * tested + 50 * passing,
            $"{counts.ChangedTested} of {counts.Changed} sessions that changed files ran tests, {counts.ChangedPassing} ended on a passing run", numbers);
    }

    private static HealthPart Trend(HealthCounts current, HealthCounts previous)
    {
        var numbers = Numbers(("decided", current.Decided), ("previous_decided", previous.Decided),
            ("success_rate", Math.Round(current.SuccessRate ?? 0, 4)), ("previous_success_rate", Math.Round(previous.SuccessRate ?? 0, 4)));
        if (current.Decided < MinimumPartSessions || previous.Decided < MinimumPartSessions)
        {
            return Missing("trend", "Trend", 0.10,
                $"{current.Decided} decided outcomes in the period and {previous.Decided} in the one before, {MinimumPartSessions} needed in each", numbers);
        }

        var points = 100 * (current.SuccessRate!.Value - previous.SuccessRate!.Value);
        return Part("trend", "Trend", 0.10, Math.Clamp(50 + points, 0, 100),
            $"success rate {Percent(current.SuccessRate.Value)} against {Percent(previous.SuccessRate.Value)} the period before ({points.ToString("+0;-0;0", Invariant)} points)", numbers);
    }

    private static HealthPart Part(string name, string label, double weight, double value, string explanation, IReadOnlyDictionary<string, double> numbers) =>
        new(name, label, (int)Math.Round(Math.Clamp(value, 0, 100), MidpointRounding.AwayFromZero), weight, 0, explanation, numbers);

    private static HealthPart Missing(string name, string label, double weight, string why, IReadOnlyDictionary<string, double> numbers) =>
        new(name, label, null, weight, 0, $"not enough data: {why}", numbers);

    private static Dictionary<string, double> Numbers(params (string Name, double Value)[] numbers) =>
        numbers.ToDictionary(n => n.Name, n => n.Value, StringComparer.Ordinal);

    private static string Percent(double share) => (100 * share).ToString("0", Invariant) + "%";
}
