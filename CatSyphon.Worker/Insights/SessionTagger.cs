namespace CatSyphon.Worker.Insights;

/// <summary>
/// The deterministic tags of a session from its <see cref="SessionView"/>: intent (<see cref="IntentRules"/>), outcome
/// (<see cref="OutcomeRules"/>), iterations, tool errors, tools, languages and areas, each with the evidence a person
/// can check, and the <see cref="SessionMeasures"/> the team reports add up. Pure: the same view always gives the same tags.
/// </summary>
public static class SessionTagger
{
    /// <summary>The rules' version, stored with each insight: raise it when a rule changes, and every session is tagged again.</summary>
    public const int RulesVersion = 2;

    /// <summary>At most this many tools, languages and areas are kept, the most used first.</summary>
    private const int ListLimit = 12;

    public static TaggedSession Tag(SessionView view)
    {
        var facts = new SessionFacts(view);
        var evidence = new List<TagEvidence>();
        var intent = IntentRules.Decide(facts, evidence);
        var outcome = OutcomeRules.Decide(facts, evidence);
        var iterations = Iterations(facts, evidence);
        Errors(facts, evidence);
        Tests(facts, evidence);

        var tools = MostFirst(view.ToolCalls.Select(c => c.Name));
        var files = facts.ChangedFiles.Count > 0 ? facts.ChangedFiles : view.Files.Select(f => f.Path).ToList();
        var languages = MostFirst(files.Select(FileFacts.Language).OfType<string>());
        var areas = MostFirst(files.Select(path => FileFacts.Area(path, view.WorkingDirectory)).OfType<string>());
        if (languages.Count > 0 || areas.Count > 0)
        {
            var kind = facts.ChangedFiles.Count > 0 ? "changed" : "read";
            evidence.Add(new TagEvidence("files", $"{files.Count} files {kind}: {string.Join(", ", languages.Take(3).Concat(areas.Take(3)))}", null));
        }

        return new TaggedSession(new SessionTags(intent, outcome, iterations, facts.Errors.Count, tools, languages, areas), evidence, SessionMeasures.Of(facts));
    }

    /// <summary>Prompts after the first that correct or retry: "no, ...", "still failing", "that's wrong", "try again".</summary>
    private static int Iterations(SessionFacts facts, List<TagEvidence> evidence)
    {
        var corrections = facts.Prompts.Skip(1).Where(p => TextSignals.Correction().IsMatch(p.Text)).ToList();
        foreach (var correction in corrections.Take(3))
        {
            evidence.Add(new TagEvidence("iterations", $"the person corrects: \"{TextSignals.Quote(correction.Text, 60)}\"", correction.Sequence));
        }

        return corrections.Count;
    }

    private static void Errors(SessionFacts facts, List<TagEvidence> evidence)
    {
        if (facts.Errors.Count > 0)
        {
            var first = facts.Errors[0];
            evidence.Add(new TagEvidence(
                "errors",
                $"{facts.Errors.Count} tool calls failed, {facts.UnresolvedErrors.Count} never resolved; first: {first.Name} {TextSignals.Quote(first.Result, 60)}",
                first.Sequence));
        }
    }

    private static void Tests(SessionFacts facts, List<TagEvidence> evidence)
    {
        if (facts.TestRuns.Count > 0)
        {
            var passed = facts.TestRuns.Count(run => run.Passed);
            var last = facts.TestRuns[^1];
            evidence.Add(new TagEvidence("tests", $"{facts.TestRuns.Count} test runs, {passed} passed; last: {last.Command}", last.Sequence));
        }
    }

    private static List<string> MostFirst(IEnumerable<string> values) =>
        values.GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(ListLimit).Select(g => g.Key).ToList();
}

/// <summary>A session's tags, the evidence behind them and its measures.</summary>
public sealed record TaggedSession(SessionTags Tags, IReadOnlyList<TagEvidence> Evidence, SessionMeasures Measures);
