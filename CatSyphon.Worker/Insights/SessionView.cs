namespace CatSyphon.Worker.Insights;

/// <summary>
/// The compact view of one session the tagging rules read: its messages and tool calls in order (bounded: the first and
/// last rows and short text snippets, see <see cref="SessionViewQuery"/>), the files it touched and what was stored
/// about its end. Nothing here is more than a few hundred characters, whatever the session holds.
/// </summary>
public sealed record SessionView(
    ConversationStatus Status,
    string? StoredOutcome,
    string? WorkingDirectory,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastEventAt,
    IReadOnlyList<ViewMessage> Messages,
    IReadOnlyList<ViewToolCall> ToolCalls,
    IReadOnlyList<ViewFile> Files);

/// <summary>A message event: who spoke, what kind of message, and the start of its text.</summary>
public sealed record ViewMessage(long Sequence, AuthorRole? Role, MessageType? Type, string Text)
{
    /// <summary>A person's words: a prompt by the human (tool results and system notes are not).</summary>
    public bool IsHumanPrompt => Role == AuthorRole.Human && Type is null or MessageType.Prompt;

    public bool IsAssistantReply => Role is AuthorRole.Assistant or AuthorRole.Agent && Type is null or MessageType.Response;
}

/// <summary>A tool call: its name, a summary of its input (a command or a path), whether it failed, and the end of its result.</summary>
public sealed record ViewToolCall(long Sequence, string Name, string Input, bool Failed, string Result);

/// <summary>A file the session read or changed, with its change kind as reported (<c>read</c>, <c>modified</c>, <c>created</c>...).</summary>
public sealed record ViewFile(string Path, string ChangeKind)
{
    public bool IsChange => ChangeKind is not ("read" or "viewed" or "opened");
}
