using System.Text.RegularExpressions;

namespace CatSyphon.Worker.Insights;

/// <summary>
/// The words and commands the tagging rules recognise. Each pattern runs over a few hundred characters of one message
/// or tool call of one session being tagged, never over the ingest path.
/// </summary>
internal static partial class TextSignals
{
    /// <summary>Claude Code's marker of a turn the person stopped (<c>[Request interrupted by user]</c>, <c>... for tool use]</c>).</summary>
    public static bool IsInterruption(string text) => text.Contains("[Request interrupted by user", StringComparison.Ordinal);

    /// <summary>Prompts that are not a person's words: slash commands, their output, caveats, hook feedback, continuation notes.</summary>
    public static bool IsNoise(string text)
    {
        var trimmed = text.TrimStart();
        return trimmed.Length == 0 || trimmed.StartsWith('<') || trimmed.StartsWith("Caveat:", StringComparison.Ordinal)
            || trimmed.StartsWith("This session is being continued", StringComparison.Ordinal)
            || trimmed.StartsWith("Stop hook feedback", StringComparison.Ordinal) || IsInterruption(trimmed);
    }

    /// <summary>A slash command prompt's name (<c>/init</c>) and arguments, each null when absent.</summary>
    public static (string? Command, string? Arguments) SlashCommand(string text)
    {
        var command = CommandPart().Match(text);
        if (!command.Success)
        {
            return (null, null);
        }

        var arguments = CommandArguments().Match(text);
        return (command.Groups[1].Value.Trim(), arguments.Success ? arguments.Groups[1].Value.Trim() : null);
    }

    [GeneratedRegex(@"<command-name>([^<]*)</command-name>")]
    private static partial Regex CommandPart();

    [GeneratedRegex(@"<command-args>([^<]*)(</command-args>|$)")]
    private static partial Regex CommandArguments();

    /// <summary>A failed call that leaves nothing to fix: a commit refused because everything was already committed.</summary>
    public static bool IsBenignFailure(string input, string result) =>
        GitCommit().IsMatch(input) && result.Contains("nothing to commit", StringComparison.Ordinal);

    /// <summary>Tools that run a shell command, whose failures are told apart by the program they ran.</summary>
    public static bool IsShell(string toolName) => toolName is "Bash" or "shell" or "exec_command" or "local_shell" or "run_shell_command";

    /// <summary>Thanks or approval: the person is content with what they got.</summary>
    [GeneratedRegex(@"\b(thanks?|thank you|thx|great|perfect|awesome|excellent|nice|looks good|lgtm|well done|works( now)?|that worked|ship it)\b", RegexOptions.IgnoreCase)]
    public static partial Regex Approval();

    /// <summary>A complaint: what the assistant did is wrong or still broken.</summary>
    [GeneratedRegex(@"\b(doesn'?t work|does not work|not working|still (fail|broken|wrong|not|the same|get|see|happen)\w*|(is|it'?s) (wrong|broken)|that'?s (wrong|not)|didn'?t (work|fix|help)|you broke|same error|nope|useless|give up)\b", RegexOptions.IgnoreCase)]
    public static partial Regex Complaint();

    /// <summary>A later prompt that corrects or retries: the first answer was not what was wanted.</summary>
    [GeneratedRegex(@"^\s*(no\b|nope|wait\b|actually\b|instead\b|try again|again\b|undo|revert)|\b(doesn'?t work|does not work|not working|still (fail|broken|wrong|not|the same|get|see)\w*|wrong|didn'?t (work|fix)|you (broke|forgot|missed)|that'?s not|same error|should (be|have)|please fix|fix (it|this|that))\b", RegexOptions.IgnoreCase)]
    public static partial Regex Correction();

    /// <summary>A command that runs a test suite (the common runners of .NET, Python, JavaScript, Go, Rust, Java and make).</summary>
    [GeneratedRegex(@"\b(dotnet\s+test|pytest|python3?\s+-m\s+(pytest|unittest)|(npm|pnpm|yarn|bun)\s+(run\s+)?test|npx\s+(jest|vitest|mocha|playwright\s+test)|jest|vitest|go\s+test|cargo\s+(test|nextest)|mvn\s+(\S+\s+)*test|gradlew?\s+test|make\s+(test|check)|mix\s+test|rspec|phpunit|tox\b)", RegexOptions.IgnoreCase)]
    public static partial Regex TestCommand();

    /// <summary>A test runner's report of failures (counts above zero, FAIL lines, a failed result).</summary>
    [GeneratedRegex(@"(\b[1-9]\d*\s+(failed|failures?|errors?)\b|\bFAILED\b|\bFAIL\b|Failed!|test result: FAILED|\bfailures?:\s*[1-9]|\bTests? failed\b|AssertionError|panicked at|exit (code|status) [1-9])", RegexOptions.None)]
    public static partial Regex TestFailure();

    /// <summary>A test runner's report of success.</summary>
    [GeneratedRegex(@"(\b\d+\s+passed\b|Passed!|test result: ok|\bok\s+\S+\s+[\d.]+s\b|^ok\b|\bPASS\b|All tests passed|Tests:\s+\d+ passed|\bOK\b( \(\d+ tests?\))?)", RegexOptions.Multiline)]
    public static partial Regex TestSuccess();

    /// <summary>A git commit made by the session.</summary>
    [GeneratedRegex(@"\bgit\s+(-C\s+\S+\s+)?commit\b", RegexOptions.IgnoreCase)]
    public static partial Regex GitCommit();

    /// <summary>At most <paramref name="length"/> characters of <paramref name="text"/> on one line, for an evidence quote.</summary>
    public static string Quote(string text, int length = 80)
    {
        var line = WhitespaceRun().Replace(text, " ").Trim();
        return line.Length <= length ? line : string.Concat(line.AsSpan(0, length - 1), "…");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRun();
}
