namespace CatSyphon.Protocol.Tests.Parsing;

internal static class GeminiTestSupport
{
    public const string SessionId = "5e551011-aaaa-4bbb-8ccc-0123456789ab";
    public const string JournalPath = "/home/dev/.gemini/tmp/my-app/chats/session-2026-05-01T09-00-5e551011.jsonl";

    public static string Fixture(string fileName) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "gemini", fileName);

    public static (ParseSummary Summary, CodexRecordingSink Sink) Parse(byte[] bytes, string path, long start = 0)
    {
        var sink = new CodexRecordingSink();
        using var stream = new MemoryStream(bytes);
        stream.Position = start;
        var summary = new GeminiLogParser().Parse(stream, new ParseRequest(path, start), sink);
        return (summary, sink);
    }

    public static (ParseSummary Summary, CodexRecordingSink Sink) Parse(string text, string path = JournalPath, long start = 0) =>
        Parse(Encoding.UTF8.GetBytes(text), path, start);

    public static ScanTotals Totals(IEnumerable<TokenUsageRecord> usage)
    {
        var ledger = new TokenLedger();
        foreach (var record in usage)
        {
            ledger.Add(record);
        }

        return ledger.GetTotals();
    }

    /// <summary>The journal's first line: the session's metadata.</summary>
    public static string Metadata(string kind = "main") =>
        $$"""{"sessionId":"{{SessionId}}","projectHash":"ab14fe39","startTime":"2026-05-01T09:00:00.000Z","lastUpdated":"2026-05-01T09:00:00.000Z","kind":"{{kind}}"}""" + "\n";

    public static string User(string id, string second, string text) =>
        $$"""{"id":"{{id}}","timestamp":"2026-05-01T09:00:{{second}}.000Z","type":"user","content":[{"text":"{{text}}"}]}""" + "\n";

    public static string Gemini(string id, string second, string text, int input = 100, int output = 10, string toolCalls = "[]") =>
        $$"""{"id":"{{id}}","timestamp":"2026-05-01T09:00:{{second}}.000Z","type":"gemini","content":"{{text}}","toolCalls":{{toolCalls}},"tokens":{"input":{{input}},"output":{{output}},"cached":0,"thoughts":0,"tool":0,"total":{{input + output}}},"model":"gemini-2.5-pro"}""" + "\n";

    public static string Contents(CodexRecordingSink sink, string type) =>
        string.Join("|", sink.OfType(type).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("content").GetString()));
}
