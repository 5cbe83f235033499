namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>Builds Claude Code JSONL lines and runs the parser into a recording sink.</summary>
internal static class ClaudeTestSupport
{
    public const string Session = "11111111-2222-3333-4444-555555555555";
    public const string MainPath = "/home/u/.claude/projects/-home-u-proj/" + Session + ".jsonl";

    public static string User(string content, string uuid = "u1", string? extra = null, string ts = "2026-01-05T10:00:00.000Z", string session = Session) =>
        $$"""{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/home/u/proj","sessionId":"{{session}}","version":"2.1.39","gitBranch":"main","slug":"brave-cat","type":"user","message":{"role":"user","content":{{content}}},"uuid":"{{uuid}}","timestamp":"{{ts}}"{{extra}}}""";

    public static string Assistant(string content, string id = "msg_1", string req = "req_1", string usage = Usage1, string uuid = "a1",
        string ts = "2026-01-05T10:00:01.000Z", string model = "claude-opus-4-6", string? extra = null, string session = Session, bool sidechain = false) =>
        $$"""{"parentUuid":"u1","isSidechain":{{(sidechain ? "true" : "false")}},"userType":"external","cwd":"/home/u/proj","sessionId":"{{session}}","version":"2.1.39","gitBranch":"main","message":{"model":"{{model}}","id":"{{id}}","type":"message","role":"assistant","content":{{content}},"stop_reason":"end_turn","usage":{{usage}}},"requestId":"{{req}}","type":"assistant","uuid":"{{uuid}}","timestamp":"{{ts}}"{{extra}}}""";

    public const string Usage1 = """{"input_tokens":3,"cache_creation_input_tokens":100,"cache_read_input_tokens":1000,"output_tokens":10}""";

    public static string Usage(long input, long output, long cacheCreate, long cacheRead) =>
        $$"""{"input_tokens":{{input}},"cache_creation_input_tokens":{{cacheCreate}},"cache_read_input_tokens":{{cacheRead}},"output_tokens":{{output}}}""";

    public static string Jsonl(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    public static Recording Parse(string content, string path = MainPath, long start = 0) =>
        Parse(Encoding.UTF8.GetBytes(content), path, start);

    public static Recording Parse(byte[] content, string path = MainPath, long start = 0)
    {
        var sink = new Recording();
        using var stream = new MemoryStream(content);
        stream.Position = start;
        sink.Summary = new ClaudeCodeLogParser().Parse(stream, new ParseRequest(path, start), sink);
        return sink;
    }

    public static TokenLedger Ledger(Recording recording)
    {
        var ledger = new TokenLedger();
        foreach (var usage in recording.Usage)
        {
            ledger.Add(usage);
        }

        return ledger;
    }

    internal sealed class Recording : IParsedLogSink
    {
        public List<(ParsedSessionRef Session, ParsedEvent Event)> Events { get; } = [];
        public List<TokenUsageRecord> Usage { get; } = [];
        public ParseSummary Summary { get; set; } = null!;

        public void OnEvent(ParsedSessionRef session, ParsedEvent parsedEvent) => Events.Add((session, parsedEvent));

        public void OnUsage(TokenUsageRecord usage) => Usage.Add(usage);

        public IEnumerable<JsonElement> Data(string type) =>
            Events.Where(e => e.Event.Type == type).Select(e => JsonDocument.Parse(e.Event.DataJson).RootElement);

        public JsonElement Single(string type) => Assert.Single(Data(type));
    }
}
