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
        TaskStatements = view.Messages.Where(m => m.IsHumanPrompt).Select(TaskStatement).OfType<ViewMessage>().ToList();
        Interruptions = view.Messages.Where(m => m.Role == AuthorRole.Human && TextSignals.IsInterruption(m.Text)).ToList();
        TestRuns = view.ToolCalls.Where(c => TextSignals.TestCommand().IsMatch(c.Input)).Select(ToTestRun).ToList();
        Commits = view.ToolCalls.Where(c => !c.Failed && TextSignals.GitCommit().IsMatch(c.Input)).ToList();
        Errors = view.ToolCalls.Where(c => c.Failed).ToList();
        ChangedFiles = view.Files.Where(f => f.IsChange && !OnlyFailedCalls(view, f.Path)).Select(f => f.Path).Distinct(StringComparer.Ordinal).ToList();
        var achievements = view.ToolCalls.Where(c => !c.Failed && ChangedFiles.Contains(c.Input)).Select(c => c.Sequence)
            .Concat(Commits.Select(c => c.Sequence)).Concat(TestRuns.Where(r => r.Passed).Select(r => r.Sequence)).ToList();
        UnresolvedErrors = Errors.Where(error => !TextSignals.IsBenignFailure(error.Input, error.Result)
            && !view.ToolCalls.Any(later => later.Sequence > error.Sequence && !later.Failed && Target(later) == Target(error))
            && !achievements.Any(sequence => sequence > error.Sequence)).ToList();
        LastMessage = view.Messages.LastOrDefault(m => m.IsHumanPrompt || m.IsAssistantReply || TextSignals.IsInterruption(m.Text));
    }

    public SessionView View { get; }

    /// <summary>The person's own prompts, in order (commands, caveats and interruptions left out).</summary>
    public IReadOnlyList<ViewMessage> Prompts { get; }

    /// <summary>The prompts and what slash commands ask (their arguments, or what a known command does), for the intent.</summary>
    public IReadOnlyList<ViewMessage> TaskStatements { get; }

    public IReadOnlyList<ViewMessage> Interruptions { get; }

    public IReadOnlyList<TestRun> TestRuns { get; }

    public IReadOnlyList<ViewToolCall> Commits { get; }

    public IReadOnlyList<ViewToolCall> Errors { get; }

    /// <summary>
    /// Failed calls neither retried with success (a later successful call of the same target: the same file, the same
    /// shell program, or the same tool) nor worked around (a file changed, tests passed or a commit made after them), and
    /// not harmless (a commit with nothing left to commit).
    /// </summary>
    public IReadOnlyList<ViewToolCall> UnresolvedErrors { get; }

    public IReadOnlyList<string> ChangedFiles { get; }

    /// <summary>The last exchange's message: a prompt, a reply or an interruption.</summary>
    public ViewMessage? LastMessage { get; }

    /// <summary>A prompt's task: the prompt itself, a slash command's arguments, or what a known command without them does.</summary>
    private static ViewMessage? TaskStatement(ViewMessage prompt)
    {
        if (!TextSignals.IsNoise(prompt.Text))
        {
            return prompt;
        }

        var (command, arguments) = TextSignals.SlashCommand(prompt.Text);
        return arguments is { Length: > 0 } ? prompt with { Text = arguments }
            : command is { } name && KnownCommands.TryGetValue(name, out var task) ? prompt with { Text = task }
            : null;
    }

    /// <summary>Claude Code's built-in commands whose task is known without arguments.</summary>
    private static readonly Dictionary<string, string> KnownCommands = new(StringComparer.Ordinal)
    {
        ["/init"] = "/init: document the codebase in CLAUDE.md",
        ["/review"] = "/review: review a pull request",
        ["/security-review"] = "/security-review: review the changes for security",
    };

    /// <summary>What a later call must succeed on to resolve an error: a path, a shell tool and the program it ran, or the tool.</summary>
    internal static string Target(ViewToolCall call)
    {
        var input = call.Input.Trim();
        if (input.StartsWith('/') || input.Contains('.') && !input.Contains(' ') && !input.StartsWith('{'))
        {
            return input;
        }

        return TextSignals.IsShell(call.Name) ? $"{call.Name}:{input.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()}" : call.Name;
    }

    /// <summary>A file reported changed only by calls that failed (an edit refused, a write not permitted) was not changed.</summary>
    private static bool OnlyFailedCalls(SessionView view, string path)
    {
        var calls = view.ToolCalls.Where(c => c.Input == path).ToList();
        return calls.Count > 0 && calls.All(c => c.Failed);
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
