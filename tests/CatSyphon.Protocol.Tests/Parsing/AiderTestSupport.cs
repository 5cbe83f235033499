namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>Parsing aider histories, whole or from an offset, and reading back what came out.</summary>
internal static class AiderTestSupport
{
    public const string LogPath = "/home/dev/proj/.aider.chat.history.md";

    public static string FixturePath(string repo) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "aider", repo, AiderLogParser.HistoryFileName);

    /// <summary>Parses the first <paramref name="length"/> bytes (the file as it was then) from <paramref name="start"/>.</summary>
    public static (ParseSummary Summary, CodexRecordingSink Sink) Parse(byte[] bytes, long start = 0, int? length = null, string path = LogPath, bool seekable = true)
    {
        var sink = new CodexRecordingSink();
        using var stream = seekable ? new MemoryStream(bytes, 0, length ?? bytes.Length) : new ForwardOnlyStream(bytes, length ?? bytes.Length);
        if (seekable)
        {
            stream.Position = start;
        }
        else
        {
            stream.ReadExactly(new byte[start]);
        }

        var summary = new AiderLogParser().Parse(stream, new ParseRequest(path, start), sink);
        return (summary, sink);
    }

    public static (ParseSummary Summary, CodexRecordingSink Sink) Parse(string text, string path = LogPath) =>
        Parse(Encoding.UTF8.GetBytes(text), path: path);

    public static (ParseSummary Summary, CodexRecordingSink Sink) ParseFixture(string repo) =>
        Parse(File.ReadAllBytes(FixturePath(repo)), path: FixturePath(repo));

    public static JsonElement Data(ParsedEvent parsedEvent) => JsonDocument.Parse(parsedEvent.Data).RootElement;

    public static string? Text(ParsedEvent parsedEvent, string field) =>
        Data(parsedEvent).TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static List<ParsedEvent> Messages(CodexRecordingSink sink, string role) =>
        sink.OfType("message").Where(e => Text(e, EventFields.AuthorRole) == role).ToList();

    public static List<ParsedEvent> ToolCalls(CodexRecordingSink sink, Func<string, bool> name) =>
        sink.OfType("tool_call").Where(e => name(Text(e, EventFields.ToolName)!)).ToList();

    public static List<ParsedEvent> UsageEvents(CodexRecordingSink sink) =>
        sink.OfType("metadata").Where(e => Text(e, EventFields.Kind) == "usage").ToList();
}

/// <summary>A stream that only reads forward, like the collector's windows over a log file.</summary>
internal sealed class ForwardOnlyStream(byte[] data, int length) : MemoryStream(data, 0, length)
{
    public override bool CanSeek => false;
}
