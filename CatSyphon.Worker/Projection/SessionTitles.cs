using System.Text;

namespace CatSyphon.Worker.Projection;

/// <summary>
/// A session's title from one message: the agent's own summary record, else a real user prompt. Pure string work on
/// a bounded head of the text, so the worker can afford it for the first few prompts of a session.
/// </summary>
internal static class SessionTitles
{
    /// <summary>How many prompts of a session are looked at per persisted set before giving up on a prompt title.</summary>
    public const int PromptsExamined = 5;

    /// <summary>The head of a message that is looked at: a title needs 200 characters, noise blocks rarely exceed this.</summary>
    private const int MaxExamined = 8 * 1024;

    /// <summary>Longer "summaries" are compaction summaries or something else, not a title record.</summary>
    private const int MaxSummaryLength = 500;

    private const string Ellipsis = "…";

    // Wrappers Claude Code writes into user lines for slash commands, their output, background task notices and hooks,
    // and the blocks Codex injects: a prompt that starts with one is not something the person typed.
    private static readonly string[] NoiseTags =
    [
        "<command-name>", "<command-message>", "<command-args>", "<local-command-stdout>", "<local-command-stderr>",
        "<task-notification>", "<user-prompt-submit-hook>", "<bash-input>", "<bash-stdout>", "<bash-stderr>",
        "<environment_context>", "<user_instructions>",
    ];

    private static readonly string[] NoisePrefixes =
    [
        "Caveat:", "[Request interrupted by user", "This session is being continued from a previous conversation",
    ];

    // Claude Code's slash command wrappers: <command-name>, <command-message>, <command-args>.
    private const string CommandPrefix = "<command-";

    private const string ReminderOpen = "<system-reminder>";
    private const string ReminderClose = "</system-reminder>";

    /// <summary>
    /// Whether a message is the agent's own title record: Claude Code's <c>summary</c> lines become system/summary
    /// messages without a uuid (they carry leafUuid), while the compaction summary, also system/summary, is a user line
    /// with its uuid and thousands of characters.
    /// </summary>
    public static bool IsTitleRecord(AuthorRole? role, MessageType? messageType, string? uuid, string? content) =>
        role == AuthorRole.System && messageType == MessageType.Summary && uuid is null
        && content is { Length: > 0 and <= MaxSummaryLength };

    /// <summary>Whether a message is a prompt a person (or, in a sub-agent, its caller) wrote.</summary>
    public static bool IsPrompt(AuthorRole? role, MessageType? messageType) =>
        role is AuthorRole.Human or AuthorRole.Caller && messageType == MessageType.Prompt;

    /// <summary>The title a summary record gives, or null when it holds no text.</summary>
    public static string? FromSummary(string? summary) => string.IsNullOrEmpty(summary) ? null : Fit(summary);

    /// <summary>The title a prompt gives, or null when it is command output, a caveat, a reminder, an interruption or empty.</summary>
    public static string? FromPrompt(string? prompt)
    {
        if (string.IsNullOrEmpty(prompt))
        {
            return null;
        }

        var text = WithoutReminders(prompt.Length > MaxExamined ? prompt[..MaxExamined] : prompt).TrimStart();
        if (text.StartsWith(CommandPrefix, StringComparison.Ordinal))
        {
            return FromCommand(text);
        }

        if (text.Length == 0
            || Array.Exists(NoiseTags, tag => text.StartsWith(tag, StringComparison.Ordinal))
            || Array.Exists(NoisePrefixes, prefix => text.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return null;
        }

        return Fit(text);
    }

    /// <summary>
    /// A slash command with arguments states its task (<c>/fix the login bug</c>); one without (<c>/clear</c>,
    /// <c>/compact</c>) is housekeeping and gives no title.
    /// </summary>
    private static string? FromCommand(string text)
    {
        var name = Element(text, "command-name");
        var arguments = Element(text, "command-args");
        return name is { Length: > 0 } && arguments is { Length: > 0 } ? Fit($"{name} {arguments}") : null;
    }

    /// <summary>The trimmed text of the first <c>&lt;tag&gt;</c> element, to its end or the text's; null when there is none.</summary>
    private static string? Element(string text, string tag)
    {
        var start = text.IndexOf($"<{tag}>", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += tag.Length + 2;
        var end = text.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
        return (end < 0 ? text[start..] : text[start..end]).Trim();
    }

    /// <summary>Whitespace and control characters collapsed to single spaces, trimmed to the column on a word boundary.</summary>
    public static string? Fit(string text)
    {
        var collapsed = Collapse(text.Length > MaxExamined ? text.AsSpan(0, MaxExamined) : text);
        if (collapsed.Length == 0)
        {
            return null;
        }

        if (collapsed.Length <= ColumnLimits.Title)
        {
            return collapsed;
        }

        var room = ColumnLimits.Title - Ellipsis.Length;
        var cut = collapsed.LastIndexOf(' ', room);
        // A word longer than half the room (a URL, a path) is cut inside rather than leaving a stub.
        var end = cut >= room / 2 ? cut : room;
        if (char.IsHighSurrogate(collapsed[end - 1]))
        {
            end--;
        }

        return collapsed[..end].TrimEnd() + Ellipsis;
    }

    private static string Collapse(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, ColumnLimits.Title * 2));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The text without <c>&lt;system-reminder&gt;</c> blocks (an unclosed one runs to the end).</summary>
    private static string WithoutReminders(string text)
    {
        var start = text.IndexOf(ReminderOpen, StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (start >= 0)
        {
            builder.Append(text, position, start - position);
            var close = text.IndexOf(ReminderClose, start, StringComparison.Ordinal);
            position = close < 0 ? text.Length : close + ReminderClose.Length;
            start = position < text.Length ? text.IndexOf(ReminderOpen, position, StringComparison.Ordinal) : -1;
        }

        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }
}
