namespace CatSyphon.Worker.Insights;

/// <summary>
/// The counts behind a session's tags that the team reports add up (the project health report, the weekly digest):
/// test runs and how they ended, commits, errors left unresolved and what they failed on, files changed. Counted over
/// the same bounded <see cref="SessionView"/> the tags read.
/// </summary>
public sealed record SessionMeasures(
    int TestRuns, int TestsPassed, bool? LastTestPassed, int Commits, int UnresolvedErrors, int FilesChanged, IReadOnlyList<string> ErrorTargets)
{
    /// <summary>At most this many error targets are kept, the most frequent first.</summary>
    public const int TargetLimit = 5;

    /// <summary>A target is cut to this many characters: it is session content (a path, a program name).</summary>
    public const int TargetLength = 120;

    public static readonly SessionMeasures None = new(0, 0, null, 0, 0, 0, []);

    internal static SessionMeasures Of(SessionFacts facts) => new(
        facts.TestRuns.Count,
        facts.TestRuns.Count(run => run.Passed),
        facts.TestRuns.Count > 0 ? facts.TestRuns[^1].Passed : null,
        facts.Commits.Count,
        facts.UnresolvedErrors.Count,
        facts.ChangedFiles.Count,
        facts.UnresolvedErrors.Select(error => TextSignals.Quote(SessionFacts.Target(error), TargetLength))
            .GroupBy(target => target, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(TargetLimit).Select(g => g.Key).ToList());
}
