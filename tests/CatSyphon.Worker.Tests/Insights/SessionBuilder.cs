using CatSyphon.Worker.Insights;

namespace CatSyphon.Worker.Tests.Insights;

/// <summary>A hand-made <see cref="SessionView"/>, built in the order things happen.</summary>
internal sealed class SessionBuilder
{
    private readonly List<ViewMessage> messages = [];
    private readonly List<ViewToolCall> toolCalls = [];
    private readonly List<ViewFile> files = [];
    private long sequence;

    public SessionBuilder User(string text) => Add(new ViewMessage(++sequence, AuthorRole.Human, MessageType.Prompt, text));

    public SessionBuilder Assistant(string text) => Add(new ViewMessage(++sequence, AuthorRole.Assistant, MessageType.Response, text));

    public SessionBuilder Interrupt() => User("[Request interrupted by user]");

    public SessionBuilder Tool(string name, string input, string result = "ok", bool failed = false)
    {
        toolCalls.Add(new ViewToolCall(++sequence, name, input, failed, result));
        return this;
    }

    public SessionBuilder Bash(string command, string result = "", bool failed = false) => Tool("Bash", command, result, failed);

    public SessionBuilder Edit(string path, bool failed = false)
    {
        Tool("Edit", path, failed ? "String to replace not found in file." : "The file has been updated.", failed);
        if (!failed)
        {
            files.Add(new ViewFile(path, "edit"));
        }

        return this;
    }

    public SessionView Build(string? storedOutcome = null) =>
        new(ConversationStatus.Completed, storedOutcome, "/repo", TestSession.Start, TestSession.Start.AddHours(1), messages, toolCalls, files);

    private SessionBuilder Add(ViewMessage message)
    {
        messages.Add(message);
        return this;
    }
}
