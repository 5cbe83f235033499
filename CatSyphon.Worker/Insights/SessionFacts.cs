namespace CatSyphon.Worker.Insights;

/// <summary>A test suite run by a shell tool call: its command and whether it passed.</summary>
internal sealed record TestRun(long Sequence, string Command, bool Passed);

/// <summary>
/// What the rules of <see cref="OutcomeRules"/> and <see cref="IntentRules"/> read, derived once from a
/// <see cref="SessionView"/>: the person's prompts, test runs, commits, tool errors left unresolved, files changed.
/// </summary>
internal sealed class SessionFacts
{
    public SessionFacts(SessionView view)
    {
        View = view;
        Prompts = view.Messages.Where(m => m.IsHumanPrompt && !TextSignals.IsNoise(m.Text)).ToList();
        Interruptions = view.Messages.Where(m => m.Role == AuthorRole.Human && TextSignals.IsInterruption(m.Text)).ToList();
        TestRuns = view.ToolCalls.Where(c => TextSignals.TestCommand().IsMatch(c.Input)).Select(ToTestRun).ToList();
        Commits = view.ToolCalls.Where(c => !c.Failed && TextSignals.GitCommit().IsMatch(c.Input)).ToList();
        Errors = view.ToolCalls.Where(c => c.Failed).ToList();
        UnresolvedErrors = Errors.Where(error => !view.ToolCalls.Any(later => later.Sequence > error.Sequence && !later.Failed && Target(later) == Target(error))).ToList();
        ChangedFiles = view.Files.Where(f => f.IsChange).Select(f => f.Path).Distinct(StringComparer.Ordinal).ToList();
        LastMessage = view.Messages.LastOrDefault(m => m.IsHumanPrompt || m.IsAssistantReply || TextSignals.IsInterruption(m.Text));
    }

    public SessionView View { get; }

    /// <summary>The person's own prompts, in order (commands, caveats and interruptions left out).</summary>
    public IReadOnlyList<ViewMessage> Prompts { get; }

    public IReadOnlyList<ViewMessage> Interruptions { get; }

    public IReadOnlyList<TestRun> TestRuns { get; }

    public IReadOnlyList<ViewToolCall> Commits { get; }

    public IReadOnlyList<ViewToolCall> Errors { get; }

    /// <summary>Failed calls with no later successful call of the same target (the same file, or the same tool and program).</summary>
    public IReadOnlyList<ViewToolCall> UnresolvedErrors { get; }

    public IReadOnlyList<string> ChangedFiles { get; }

    /// <summary>The last exchange's message: a prompt, a reply or an interruption.</summary>
    public ViewMessage? LastMessage { get; }

    /// <summary>What a later call must succeed on to resolve an error: a path when the input is one, otherwise the tool and the program it ran.</summary>
    private static string Target(ViewToolCall call)
    {
        var input = call.Input.Trim();
        if (input.StartsWith('/') || input.Contains('.') && !input.Contains(' '))
        {
            return input;
        }

        var program = input.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return $"{call.Name}:{program}";
    }

    private static TestRun ToTestRun(ViewToolCall call)
    {
        var failure = TextSignals.TestFailure();
        var failed = call.Failed || failure.IsMatch(LastLines(call.Result))
            || failure.IsMatch(call.Result) && !TextSignals.TestSuccess().IsMatch(call.Result);
        return new TestRun(call.Sequence, TextSignals.Quote(call.Input, 60), !failed);
    }

    /// <summary>The runner's summary is at the end of its output; earlier FAIL lines may have been fixed by a retry within the run.</summary>
    private static string LastLines(string result) => result.Length <= 160 ? result : result[^160..];
}
