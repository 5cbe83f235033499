using System.Text.RegularExpressions;

namespace CatSyphon.Worker.Insights;

/// <summary>
/// What a session set out to do. Each intent scores points from words of the person's first prompts (the first counts
/// double: it states the task) and from the files changed; the highest score wins, ties going to the earlier intent in
/// <see cref="Rules"/> (the more specific one). A session that only asks (reading words, no file changed, no words of
/// making) is exploration, or a bug fix when it reports a bug; questions with files changed are a feature; a session
/// with no rule matching is other.
/// </summary>
internal static partial class IntentRules
{
    private sealed record Rule(SessionIntent Intent, Regex Words, Func<string, bool>? ChangedFile);

    private static readonly Rule[] Rules =
    [
        new(SessionIntent.BugFix, BugWords(), null),
        new(SessionIntent.Docs, DocWords(), FileFacts.IsDoc),
        new(SessionIntent.Ops, OpsWords(), FileFacts.IsCi),
        new(SessionIntent.Refactor, RefactorWords(), null),
        new(SessionIntent.Feature, FeatureWords(), null),
        new(SessionIntent.Tests, TestWords(), FileFacts.IsTest),
        new(SessionIntent.Exploration, ExplorationWords(), null),
    ];

    /// <summary>The first task statements read for the task (later ones are corrections).</summary>
    private const int PromptsRead = 3;

    public static SessionIntent Decide(SessionFacts facts, List<TagEvidence> evidence)
    {
        var scores = Rules.Select(rule => (rule, score: 0, why: (TagEvidence?)null)).ToArray();
        for (var index = 0; index < scores.Length; index++)
        {
            var (rule, _, _) = scores[index];
            foreach (var (prompt, position) in facts.TaskStatements.Take(PromptsRead).Select((p, i) => (p, i)))
            {
                var match = rule.Words.Match(prompt.Text);
                if (match.Success)
                {
                    scores[index].score += position == 0 ? 2 : 1;
                    scores[index].why ??= new TagEvidence("intent", $"the prompt says \"{match.Value.Trim()}\": \"{TextSignals.Quote(prompt.Text, 60)}\"", prompt.Sequence);
                }
            }

            if (rule.ChangedFile is { } isKind && facts.ChangedFiles.Count > 0 && facts.ChangedFiles.All(isKind))
            {
                scores[index].score += 2;
                scores[index].why ??= new TagEvidence("intent", $"every file changed is of this kind ({facts.ChangedFiles.Count} files)", null);
            }
        }

        var onlyAsks = facts.ChangedFiles.Count == 0 && facts.TaskStatements.Take(PromptsRead).Any(p => ExplorationWords().IsMatch(p.Text))
            && !facts.TaskStatements.Take(PromptsRead).Any(p => FeatureWords().IsMatch(p.Text));
        var best = scores.Where(s => s.score > 0 && (!onlyAsks || s.rule.Intent is SessionIntent.BugFix or SessionIntent.Exploration))
            .OrderByDescending(s => s.score).FirstOrDefault();
        if (best.rule is null)
        {
            evidence.Add(new TagEvidence("intent", "no task words in the prompts and no kind of file changed", null));
            return SessionIntent.Other;
        }

        if (best.rule.Intent == SessionIntent.Exploration && facts.ChangedFiles.Count > 0)
        {
            evidence.Add(new TagEvidence("intent", $"the prompt asks, and {facts.ChangedFiles.Count} files were changed: a feature", null));
            return SessionIntent.Feature;
        }

        evidence.Add(best.why!);
        return best.rule.Intent;
    }

    [GeneratedRegex(@"\b(fix(es|ed|ing)?|bugs?|broken|crash(es|ing)?|errors?|exceptions?|fail(s|ing|ure)?|regression|(doesn'?t|does not|won'?t|will not) (seem to )?(work|start|run|load|build|compile)|not working|issue with|wrong)\b", RegexOptions.IgnoreCase)]
    private static partial Regex BugWords();

    [GeneratedRegex(@"\b(unit tests?|integration tests?|write (a |some )?tests?|add (a |some )?tests?|test coverage|coverage|tests? for|testing)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TestWords();

    [GeneratedRegex(@"\b(readme|documentation|docs?|docstrings?|comments?|changelog|document(ing)?)\b|\b[\w-]+\.md\b", RegexOptions.IgnoreCase)]
    private static partial Regex DocWords();

    [GeneratedRegex(@"\b(deploy(ment|ing)?|ci|pipeline|github actions?|workflow|docker(file)?|kubernetes|k8s|helm|release|install|upgrade|dependenc(y|ies)|infra(structure)?|migrations?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OpsWords();

    [GeneratedRegex(@"\b(refactor(ing)?|rename|clean ?up|restructure|reorganis[ez]e|reorganiz[ez]e|extract|simplify|split|move .+ into|port(ing)? .+ to|rewrite|dedup(licate)?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RefactorWords();

    [GeneratedRegex(@"\b(add|implement|create|build|make|write|support|introduce|new|feature|generate|set up|setup)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FeatureWords();

    [GeneratedRegex(@"(^\s*(what|how|why|where|which|who|can you explain|explain|describe|show me|tell me|is there|are there|does|do)\b|\b(explain|understand|investigate|look into|explore|review|analy[sz]e|summari[sz]e|overview)\b|tell me|what it says|\?\s*$)", RegexOptions.IgnoreCase)]
    private static partial Regex ExplorationWords();
}
