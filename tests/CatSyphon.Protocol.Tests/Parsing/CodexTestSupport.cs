using System.Runtime.CompilerServices;

namespace CatSyphon.Protocol.Tests.Parsing;

internal sealed class CodexRecordingSink : IParsedLogSink
{
    public List<(ParsedSessionRef Session, ParsedEvent Event)> Events { get; } = [];

    public List<TokenUsageRecord> Usage { get; } = [];

    public void OnEvent(ParsedSessionRef session, ParsedEvent parsedEvent) => Events.Add((session, parsedEvent));

    public void OnUsage(TokenUsageRecord usage) => Usage.Add(usage);

    public IEnumerable<ParsedEvent> OfType(string type) => Events.Select(e => e.Event).Where(e => e.Type == type);

    /// <summary>Usage after ledger-style dedup (same key: larger total wins).</summary>
    public IReadOnlyCollection<TokenUsageRecord> DedupedUsage()
    {
        var byKey = new Dictionary<string, TokenUsageRecord>(StringComparer.Ordinal);
        foreach (var u in Usage)
        {
            if (!byKey.TryGetValue(u.DedupKey, out var old) || u.Total > old.Total)
            {
                byKey[u.DedupKey] = u;
            }
        }

        return byKey.Values;
    }
}

/// <summary>A stream that hands out at most a few bytes per Read, to exercise buffer boundaries.</summary>
internal sealed class CodexTrickleStream(byte[] data, int chunk) : MemoryStream(data)
{
    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

    public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
}

internal static class CodexTestSupport
{
    public const string SessionId = "0199a213-81c0-7800-8aa1-bbab2a035a53";
    public const string LogPath = "/home/dev/.codex/sessions/2025/10/05/rollout-2025-10-05T10-00-00-" + SessionId + ".jsonl";

    public static (ParseSummary Summary, CodexRecordingSink Sink) Parse(string text, long start = 0, string path = LogPath) =>
        Parse(Encoding.UTF8.GetBytes(text), start, path);

    public static (ParseSummary Summary, CodexRecordingSink Sink) Parse(byte[] bytes, long start = 0, string path = LogPath)
    {
        var sink = new CodexRecordingSink();
        using var stream = new MemoryStream(bytes);
        stream.Position = start;
        var summary = new CodexLogParser().Parse(stream, new ParseRequest(path, start), sink);
        return (summary, sink);
    }

    public static string Line(string timestamp, string type, object payload) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["timestamp"] = timestamp, ["type"] = type, ["payload"] = payload }) + "\n";

    public static string Meta(string id = SessionId) => Line("2025-10-05T10:00:00.000Z", "session_meta", new Dictionary<string, object>
    {
        ["id"] = id,
        ["timestamp"] = "2025-10-05T10:00:00.000Z",
        ["cwd"] = "/home/dev/proj",
        ["originator"] = "codex_cli_rs",
        ["cli_version"] = "0.63.0",
        ["git"] = new Dictionary<string, object> { ["commit_hash"] = "abc123", ["branch"] = "feature/x", ["repository_url"] = "git@github.com:dev/x.git" },
    });

    public static string TurnContext(string ts, string model) =>
        Line(ts, "turn_context", new Dictionary<string, object> { ["cwd"] = "/home/dev/proj", ["model"] = model, ["effort"] = "medium" });

    public static string UserMessage(string ts, string text) =>
        Line(ts, "event_msg", new Dictionary<string, object> { ["type"] = "user_message", ["message"] = text, ["images"] = Array.Empty<object>() });

    public static string ResponseMessage(string ts, string role, string text) =>
        Line(ts, "response_item", new Dictionary<string, object>
        {
            ["type"] = "message",
            ["role"] = role,
            ["content"] = new[] { new Dictionary<string, object> { ["type"] = role == "assistant" ? "output_text" : "input_text", ["text"] = text } },
        });

    public static string AgentMessage(string ts, string text) =>
        Line(ts, "event_msg", new Dictionary<string, object> { ["type"] = "agent_message", ["message"] = text });

    public static string AgentReasoning(string ts, string text) =>
        Line(ts, "event_msg", new Dictionary<string, object> { ["type"] = "agent_reasoning", ["text"] = text });

    public static string Reasoning(string ts, string summary) =>
        Line(ts, "response_item", new Dictionary<string, object>
        {
            ["type"] = "reasoning",
            ["summary"] = new[] { new Dictionary<string, object> { ["type"] = "summary_text", ["text"] = summary } },
            ["encrypted_content"] = "gAAAAxyz",
        });

    public static string FunctionCall(string ts, string callId, string name, string arguments) =>
        Line(ts, "response_item", new Dictionary<string, object> { ["type"] = "function_call", ["name"] = name, ["arguments"] = arguments, ["call_id"] = callId });

    public static string FunctionOutput(string ts, string callId, object output) =>
        Line(ts, "response_item", new Dictionary<string, object> { ["type"] = "function_call_output", ["call_id"] = callId, ["output"] = output });

    public static Dictionary<string, long> Usage(long input, long cached, long output, long reasoning) => new()
    {
        ["input_tokens"] = input,
        ["cached_input_tokens"] = cached,
        ["output_tokens"] = output,
        ["reasoning_output_tokens"] = reasoning,
        ["total_tokens"] = input + output,
    };

    public static string TokenCount(string ts, Dictionary<string, long>? total, Dictionary<string, long>? last)
    {
        var info = new Dictionary<string, object> { ["model_context_window"] = 258400 };
        if (total is not null)
        {
            info["total_token_usage"] = total;
        }

        if (last is not null)
        {
            info["last_token_usage"] = last;
        }

        return Line(ts, "event_msg", new Dictionary<string, object> { ["type"] = "token_count", ["info"] = info });
    }

    public static JsonElement Data(ParsedEvent e)
    {
        using var document = JsonDocument.Parse(e.DataJson);
        return document.RootElement.Clone();
    }

    public static string? Str(ParsedEvent e, string name) =>
        Data(e).TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A Codex fixture file (copied next to the test assembly).</summary>
    public static string FixturePath(string fileName) =>
        System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "codex", fileName);
}
