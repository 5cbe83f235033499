namespace CatSyphon.Worker.Insights;

/// <summary>
/// How a session ended, from evidence, the first rule that holds deciding:
/// <list type="number">
/// <item><b>abandoned</b>: the person interrupted the last turn and said nothing more, their last prompt (other than
/// thanks) got no answer, or the session stopped while a tool call was waiting for its result.</item>
/// <item><b>failed</b>: the last test run failed; or tool errors are left unresolved and nothing was achieved (no file
/// changed, no passing tests, no commit); or the person's last words are a complaint and errors are left unresolved.</item>
/// <item><b>partial</b>: something was achieved (files changed, tests passed, a commit) but errors are left unresolved
/// or the person's last words are a complaint.</item>
/// <item><b>success</b>: the last test run passed, a commit was made, the person's last words are thanks or approval,
/// or the assistant ended the session with a reply after changing files or running tools, every error resolved.</item>
/// <item>otherwise the stored outcome when the collector reported a known one, else <b>unknown</b> (a session of talk only).</item>
/// </list>
/// </summary>
internal static class OutcomeRules
{
    public static SessionOutcome Decide(SessionFacts facts, List<TagEvidence> evidence)
    {
        var lastPrompt = facts.Prompts.LastOrDefault();
        var lastTest = facts.TestRuns.LastOrDefault();
        // The first prompt states the task ("the total is wrong, fix it"): only a later one can complain or approve.
        var verdict = lastPrompt is not null && lastPrompt != facts.Prompts[0] ? lastPrompt : null;
        var complaint = verdict is not null && TextSignals.Complaint().IsMatch(verdict.Text) ? verdict : null;
        var approval = complaint is null && verdict is not null && TextSignals.Approval().IsMatch(verdict.Text) ? verdict : null;
        var unresolved = facts.UnresolvedErrors.LastOrDefault();
        var achieved = facts.ChangedFiles.Count > 0 || facts.Commits.Count > 0 || lastTest is { Passed: true };

        if (Abandonment(facts) is { } left)
        {
            return Give(evidence, SessionOutcome.Abandoned, left.Detail, left.Sequence);
        }

        if (lastTest is { Passed: false })
        {
            return Give(evidence, SessionOutcome.Failed, $"the last test run failed: {lastTest.Command}", lastTest.Sequence);
        }

        if (unresolved is not null && (!achieved || complaint is not null))
        {
            var why = complaint is not null ? $"the person's last words are a complaint: \"{TextSignals.Quote(complaint.Text)}\"" : "nothing was changed, tested or committed";
            evidence.Add(new TagEvidence("outcome", $"{unresolved.Name} error never resolved: {TextSignals.Quote(unresolved.Result, 60)}", unresolved.Sequence));
            return Give(evidence, SessionOutcome.Failed, why, complaint?.Sequence);
        }

        if (achieved && (unresolved is not null || complaint is not null))
        {
            var why = complaint is not null
                ? $"work was done but the person's last words are a complaint: \"{TextSignals.Quote(complaint.Text)}\""
                : $"work was done but a {unresolved!.Name} error was never resolved: {TextSignals.Quote(unresolved.Result, 60)}";
            return Give(evidence, SessionOutcome.Partial, why, complaint?.Sequence ?? unresolved?.Sequence);
        }

        return Success(facts, evidence, lastTest, approval) ?? Stored(facts, evidence);
    }

    private static SessionOutcome? Success(SessionFacts facts, List<TagEvidence> evidence, TestRun? lastTest, ViewMessage? approval)
    {
        if (lastTest is { Passed: true })
        {
            return Give(evidence, SessionOutcome.Success, $"the last test run passed: {lastTest.Command}", lastTest.Sequence);
        }

        if (facts.Commits.LastOrDefault() is { } commit)
        {
            return Give(evidence, SessionOutcome.Success, $"a commit was made: {TextSignals.Quote(commit.Input, 60)}", commit.Sequence);
        }

        if (approval is not null)
        {
            return Give(evidence, SessionOutcome.Success, $"the person's last words approve: \"{TextSignals.Quote(approval.Text)}\"", approval.Sequence);
        }

        if (facts.LastMessage is { IsAssistantReply: true } reply && (facts.ChangedFiles.Count > 0 || facts.View.ToolCalls.Count > 0)
            && !facts.View.ToolCalls.Any(call => call.Sequence > reply.Sequence))
        {
            var work = facts.ChangedFiles.Count > 0 ? $"{facts.ChangedFiles.Count} files changed" : $"{facts.View.ToolCalls.Count} tool calls";
            return Give(evidence, SessionOutcome.Success, $"the assistant finished its turn ({work}, every tool error resolved)", reply.Sequence);
        }

        return null;
    }

    /// <summary>
    /// The person left: the last turn was interrupted, or the last prompt was never answered (no reply, no tool call
    /// after it) and was not a closing thanks.
    /// </summary>
    private static TagEvidence? Abandonment(SessionFacts facts)
    {
        var last = facts.LastMessage;
        if (last is { IsAssistantReply: true } && facts.View.ToolCalls.LastOrDefault() is { } call && call.Sequence > last.Sequence && call.Result.Length == 0)
        {
            return new TagEvidence("outcome", $"the session stopped in the middle of a turn: {call.Name} never got its result", call.Sequence);
        }

        if (last is null || last.IsAssistantReply || facts.View.ToolCalls.Any(call => call.Sequence > last.Sequence))
        {
            return null;
        }

        if (!TextSignals.IsInterruption(last.Text) && TextSignals.Approval().IsMatch(last.Text) && !TextSignals.Complaint().IsMatch(last.Text))
        {
            return null;
        }

        return TextSignals.IsInterruption(last.Text)
            ? new TagEvidence("outcome", "the person interrupted the last turn and left", last.Sequence)
            : new TagEvidence("outcome", $"the last prompt got no answer: \"{TextSignals.Quote(last.Text)}\"", last.Sequence);
    }

    private static SessionOutcome Stored(SessionFacts facts, List<TagEvidence> evidence)
    {
        var stored = facts.View.StoredOutcome?.Trim().ToLowerInvariant();
        var outcome = stored switch
        {
            "success" or "succeeded" or "completed" or "done" => SessionOutcome.Success,
            "failed" or "failure" or "error" => SessionOutcome.Failed,
            "abandoned" or "cancelled" or "canceled" => SessionOutcome.Abandoned,
            "partial" => SessionOutcome.Partial,
            _ => SessionOutcome.Unknown,
        };
        var detail = outcome == SessionOutcome.Unknown ? "no work, test, commit or verdict to judge by" : $"the collector reported the outcome '{stored}'";
        return Give(evidence, outcome, detail, null);
    }

    private static SessionOutcome Give(List<TagEvidence> evidence, SessionOutcome outcome, string detail, long? sequence)
    {
        evidence.Add(new TagEvidence("outcome", detail, sequence));
        return outcome;
    }
}
