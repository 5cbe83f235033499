using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using CatSyphon.Protocol.Internal;
using static CatSyphon.Protocol.Parsing.SafeJson;

namespace CatSyphon.Protocol.Parsing.Codex;

/// <summary>
/// Parser for Codex CLI rollout logs (<c>~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl</c>).
/// </summary>
/// <remarks>
/// <para>Records: <c>session_meta</c> → session_start; <c>turn_context</c> sets the model of later events;
/// <c>event_msg/user_message</c> → human prompt; <c>response_item/message</c> (assistant) → assistant response;
/// <c>response_item/reasoning</c> → thinking; <c>response_item/function_call</c> and <c>custom_tool_call</c> →
/// tool_call; their <c>*_output</c> → tool_result (joined by <c>call_id</c>); <c>event_msg/token_count</c> → usage.</para>
/// <para>Codex writes each assistant text twice (<c>response_item/message</c> and <c>event_msg/agent_message</c>)
/// and each reasoning summary twice (<c>response_item/reasoning</c> and <c>event_msg/agent_reasoning</c>); only the
/// response_item copy is emitted. The user's prompt is written as <c>event_msg/user_message</c> and again as a
/// <c>response_item/message</c> (role user) next to injected context (environment, AGENTS.md); only the
/// user_message copy is emitted. Developer/system messages are ignored. Every other record (turn boundaries
/// <c>task_started</c>/<c>task_complete</c>, <c>web_search_call</c>, compaction records, future types) becomes one
/// <c>metadata</c> event whose <c>kind</c> is the record type (<c>type/payload.type</c> for wrapped ones), carrying
/// the raw payload when it is under 64 KiB.</para>
/// <para>Token usage follows ccusage's <c>codex</c> rules: per token_count, the turn's <c>last_token_usage</c>
/// (or, without it, the growth of the cumulative <c>total_token_usage</c>); a token_count whose cumulative total
/// equals the previous one is a repeat and is skipped. Cached input is part of input and reasoning part of output,
/// so a record has <c>InputTokens = input - cached</c>, <c>CacheReadTokens = cached</c>,
/// <c>OutputTokens = output</c>. The dedup key is the session id plus the cumulative totals, so a repeat seen in
/// another parse call carries the same key and the same numbers.</para>
/// <para>Event hashes are <see cref="EventHash"/> over the type, the line's timestamp and the data without the fields
/// taken from earlier lines (<c>model</c>; a tool result's <c>tool_name</c>), so reading a file incrementally or
/// from offset 0 gives the same hashes.</para>
/// </remarks>
public sealed partial class CodexLogParser : ISessionLogParser
{
    /// <summary>At most this many warnings are reported per parse call.</summary>
    public const int MaxWarnings = 5;

    private const int MaxRawMetadataBytes = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string AgentType => AgentTypes.Codex;

    /// <summary>The session id (UUID) at the end of a rollout file name, or null.</summary>
    public static string? SessionIdFromPath(string path)
    {
        var name = Path.GetFileName(path.Replace('\\', '/'));
        var match = RolloutNameRegex().Match(name);
        return match.Success ? match.Groups[1].Value : null;
    }

    public ParseSummary Parse(Stream stream, ParseRequest request, IParsedLogSink sink)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);

        var state = new ParseState(request, sink);
        using var reader = new JsonlLineReader(stream);
        while (reader.TryReadContentLine(request.StartOffset, out var line, out var lineOffset))
        {
            state.Lines++;
            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    state.Malformed(lineOffset, "not a JSON object");
                    continue;
                }

                state.HandleRecord(document.RootElement, lineOffset);
            }
            catch (JsonException ex)
            {
                state.Malformed(lineOffset, ex.Message);
            }
            catch (InvalidOperationException ex)
            {
                state.Malformed(lineOffset, ex.Message);
            }
        }

        for (var oversized = 0; oversized < reader.OversizedLines; oversized++)
        {
            state.Malformed(request.StartOffset + reader.Consumed, $"line over {JsonlLineReader.DefaultMaxLineBytes} bytes skipped");
        }

        return new ParseSummary(AgentType, request.StartOffset + reader.Consumed, state.Lines, state.MalformedLines, state.Warnings);
    }

    [GeneratedRegex(@"^rollout-.*?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.jsonl$", RegexOptions.CultureInvariant)]
    private static partial Regex RolloutNameRegex();

    [GeneratedRegex(@"(?:^Exit code:\s*|Process exited with code\s+)(-?\d+)", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex ExitCodeRegex();

    /// <summary>Cumulative or per-turn Codex token counters.</summary>
    private readonly record struct CodexUsage(long Input, long Cached, long Output, long Reasoning, long Total)
    {
        public bool IsZero => Input == 0 && Cached == 0 && Output == 0 && Reasoning == 0;

        public CodexUsage Minus(CodexUsage other) => new(
            Math.Max(0, Input - other.Input),
            Math.Max(0, Cached - other.Cached),
            Math.Max(0, Output - other.Output),
            Math.Max(0, Reasoning - other.Reasoning),
            Math.Max(0, Total - other.Total));

        public static CodexUsage? Read(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var input = Number(element, "input_tokens");
            var output = Number(element, "output_tokens");
            var total = element.TryGetProperty("total_tokens", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var tv) ? tv : input + output;
            return new CodexUsage(input, Number(element, "cached_input_tokens"), output, Number(element, "reasoning_output_tokens"), total);
        }

        private static long Number(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)
                ? Math.Max(0, n)
                : 0;
    }

    private sealed class ParseState(ParseRequest request, IParsedLogSink sink)
    {
        private readonly Dictionary<string, string> _toolNames = new(StringComparer.Ordinal);
        private readonly List<string> _warnings = [];
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private string _sessionId = SessionIdFromPath(request.Path) ?? Path.GetFileNameWithoutExtension(request.Path);
        private bool _sawSessionMeta;
        private string? _model;
        private DateTimeOffset _lastTimestamp = DateTimeOffset.UnixEpoch;
        private CodexUsage? _previousTotal;

        public int Lines { get; set; }

        public int MalformedLines { get; private set; }

        public IReadOnlyList<string> Warnings => _warnings;

        public void Malformed(long offset, string reason)
        {
            MalformedLines++;
            Warn($"malformed line at byte {offset.ToString(CultureInfo.InvariantCulture)}: {reason}");
        }

        private void Warn(string message)
        {
            if (_warnings.Count < MaxWarnings)
            {
                _warnings.Add(message);
            }
        }

        public void HandleRecord(JsonElement record, long lineOffset)
        {
            if (record.TryGetProperty("timestamp", out var ts) && ProtocolTimestamp.TryParse(ts, out var parsed))
            {
                _lastTimestamp = parsed;
            }

            var timestamp = _lastTimestamp;
            var type = Text(record, "type");
            if (!record.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var payloadType = Text(payload, "type");
            switch (type)
            {
                case "session_meta":
                    OnSessionMeta(payload, timestamp);
                    break;

                case "turn_context":
                    if (Text(payload, "model") is { Length: > 0 } model)
                    {
                        _model = model;
                    }

                    break;

                case "response_item":
                    switch (payloadType)
                    {
                        case "message":
                            OnResponseMessage(payload, timestamp);
                            break;
                        case "reasoning":
                            OnReasoning(payload, timestamp);
                            break;
                        case "function_call":
                        case "custom_tool_call":
                            OnToolCall(payload, timestamp, payloadType == "custom_tool_call");
                            break;
                        case "function_call_output":
                        case "custom_tool_call_output":
                            OnToolOutput(payload, timestamp);
                            break;
                        default:
                            OnOtherRecord(type, payloadType, payload, timestamp);
                            break;
                    }

                    break;

                case "event_msg":
                    switch (payloadType)
                    {
                        case "user_message":
                            OnUserMessage(payload, timestamp);
                            break;
                        case "token_count":
                            OnTokenCount(payload, timestamp, lineOffset);
                            break;
                        case "agent_message":
                        case "agent_reasoning":
                            break; // copies of response_item message/reasoning
                        default:
                            OnOtherRecord(type, payloadType, payload, timestamp);
                            break;
                    }

                    break;

                default:
                    OnOtherRecord(type, payloadType, payload, timestamp);
                    break;
            }
        }

        /// <summary>A record with no event of its own is kept as context: its kind, and its payload when it is small.</summary>
        private void OnOtherRecord(string? type, string? payloadType, JsonElement payload, DateTimeOffset timestamp)
        {
            var writer = Begin();
            writer.WriteString(EventFields.Kind, payloadType is null ? type ?? "unknown" : $"{type}/{payloadType}");
            var raw = JsonMarshal.GetRawUtf8Value(payload);
            if (raw.Length <= MaxRawMetadataBytes)
            {
                writer.WritePropertyName(EventFields.Raw);
                WriteSafe(writer, payload);
            }
            else
            {
                writer.WriteNumber(EventFields.RawBytes, raw.Length);
            }

            Emit(EventType.Metadata, timestamp, writer);
        }

        private void OnSessionMeta(JsonElement payload, DateTimeOffset timestamp)
        {
            if (_sawSessionMeta)
            {
                return; // a later meta (resumed/forked history) does not start another session
            }

            _sawSessionMeta = true;
            if (Text(payload, "id") is { Length: > 0 and <= ProtocolLimits.MaxSessionIdLength } id)
            {
                _sessionId = id;
            }

            var writer = Begin();
            writer.WriteString(EventFields.AgentType, AgentTypes.Codex);
            WriteIfPresent(writer, EventFields.AgentVersion, Text(payload, "cli_version"));
            WriteIfPresent(writer, EventFields.WorkingDirectory, Text(payload, "cwd"));
            if (payload.TryGetProperty("git", out var git) && git.ValueKind == JsonValueKind.Object)
            {
                WriteIfPresent(writer, EventFields.GitBranch, Text(git, "branch"));
                WriteIfPresent(writer, EventFields.GitCommit, Text(git, "commit_hash"));
            }

            WriteIfPresent(writer, EventFields.Originator, Text(payload, "originator"));
            WriteIfPresent(writer, EventFields.ModelProvider, Text(payload, "model_provider"));
            Emit(EventType.SessionStart, timestamp, writer);
        }

        private void OnUserMessage(JsonElement payload, DateTimeOffset timestamp)
        {
            var text = Text(payload, "message");
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            Emit(EventType.Message, timestamp, BeginMessage(AuthorRole.Human, MessageType.Prompt, text));
        }

        private void OnResponseMessage(JsonElement payload, DateTimeOffset timestamp)
        {
            if (Text(payload, "role") != "assistant")
            {
                return; // user copies duplicate event_msg/user_message or are injected context
            }

            var text = JoinTexts(payload, "content", "text", "\n");
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            var writer = BeginMessage(AuthorRole.Assistant, MessageType.Response, text);
            WriteIfPresent(writer, EventFields.Phase, Text(payload, "phase"));
            Emit(EventType.Message, timestamp, writer);
        }

        private void OnReasoning(JsonElement payload, DateTimeOffset timestamp)
        {
            var summary = JoinTexts(payload, "summary", "text", "\n\n");
            var content = JoinTexts(payload, "content", "text", "\n\n");
            var text = string.IsNullOrEmpty(content) ? summary : string.IsNullOrEmpty(summary) ? content : summary + "\n\n" + content;
            if (string.IsNullOrEmpty(text))
            {
                return; // encrypted-only reasoning carries no readable text
            }

            var writer = Begin();
            writer.WriteString(EventFields.Content, text);
            WriteIfPresent(writer, EventFields.Model, _model);
            Emit(EventType.Thinking, timestamp, writer);
        }

        private void OnToolCall(JsonElement payload, DateTimeOffset timestamp, bool custom)
        {
            var callId = Text(payload, "call_id");
            var name = Text(payload, "name");
            if (string.IsNullOrEmpty(callId) || string.IsNullOrEmpty(name))
            {
                return;
            }

            _toolNames[callId] = name;
            var writer = Begin();
            writer.WriteString(EventFields.ToolName, name);
            writer.WriteString(EventFields.ToolUseId, callId);
            writer.WritePropertyName(EventFields.Parameters);
            if (custom)
            {
                writer.WriteStartObject();
                WriteIfPresent(writer, "input", Text(payload, "input"));
                writer.WriteEndObject();
            }
            else
            {
                WriteArguments(writer, payload);
            }

            WriteIfPresent(writer, EventFields.Model, _model);
            Emit(EventType.ToolCall, timestamp, writer);
        }

        private static void WriteArguments(Utf8JsonWriter writer, JsonElement payload)
        {
            if (!payload.TryGetProperty("arguments", out var arguments))
            {
                writer.WriteNullValue();
                return;
            }

            if (arguments.ValueKind != JsonValueKind.String)
            {
                WriteSafe(writer, arguments);
                return;
            }

            var text = SafeString(arguments)!;
            if (TryParseObject(text) is { } document)
            {
                using (document)
                {
                    WriteSafe(writer, document.RootElement);
                }
            }
            else
            {
                writer.WriteStringValue(text);
            }
        }

        private void OnToolOutput(JsonElement payload, DateTimeOffset timestamp)
        {
            var callId = Text(payload, "call_id");
            if (string.IsNullOrEmpty(callId))
            {
                return;
            }

            string? result = null;
            bool? success = null;
            if (payload.TryGetProperty("output", out var output))
            {
                if (output.ValueKind == JsonValueKind.String)
                {
                    result = SafeString(output);
                    (result, success) = InterpretOutput(result!);
                }
                else if (output.ValueKind == JsonValueKind.Object)
                {
                    result = Text(output, "content") ?? JoinTexts(output, "content", "text", "\n");
                    success = Bool(output, "success");
                }
            }

            var writer = Begin();
            writer.WriteString(EventFields.ToolUseId, callId);
            WriteIfPresent(writer, EventFields.ToolName, _toolNames.GetValueOrDefault(callId));
            WriteIfPresent(writer, EventFields.Result, result);
            if (success is { } ok)
            {
                writer.WriteBoolean(EventFields.Success, ok);
            }

            Emit(EventType.ToolResult, timestamp, writer);
        }

        /// <summary>
        /// Codex outputs are either JSON <c>{"output": ..., "metadata": {"exit_code": N}}</c> or text starting with
        /// <c>Exit code: N</c> / containing <c>Process exited with code N</c>.
        /// </summary>
        private static (string Result, bool? Success) InterpretOutput(string text)
        {
            if (text.StartsWith('{') && TryParseObject(text) is { } document)
            {
                using (document)
                {
                    var root = document.RootElement;
                    if (root.TryGetProperty("output", out var inner) && inner.ValueKind == JsonValueKind.String)
                    {
                        bool? success = null;
                        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                            && metadata.TryGetProperty("exit_code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt64(out var exit))
                        {
                            success = exit == 0;
                        }

                        return (SafeString(inner)!, success);
                    }
                }
            }

            var match = ExitCodeRegex().Match(text.Length > 4096 ? text[..4096] : text);
            if (match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exitCode))
            {
                return (text, exitCode == 0);
            }

            return (text, null);
        }

        private void OnTokenCount(JsonElement payload, DateTimeOffset timestamp, long lineOffset)
        {
            if (!payload.TryGetProperty("info", out var info) || info.ValueKind != JsonValueKind.Object)
            {
                return; // rate-limit-only update
            }

            var total = info.TryGetProperty("total_token_usage", out var t) ? CodexUsage.Read(t) : null;
            var last = info.TryGetProperty("last_token_usage", out var l) ? CodexUsage.Read(l) : null;
            if (total is not null && _previousTotal is not null && total == _previousTotal)
            {
                return; // repeated token_count (same cumulative totals)
            }

            CodexUsage? delta = last;
            if (delta is null && total is { } cumulative)
            {
                if (_previousTotal is { } previous)
                {
                    delta = cumulative.Minus(previous);
                }
                else if (request.StartOffset == 0)
                {
                    delta = cumulative;
                }
                else
                {
                    Warn($"token_count at byte {lineOffset.ToString(CultureInfo.InvariantCulture)} has only cumulative usage and no earlier total in this read; skipped");
                }
            }

            if (total is not null)
            {
                _previousTotal = total;
            }

            if (delta is not { } usage || usage.IsZero)
            {
                return;
            }

            var key = total is { } k
                ? string.Create(CultureInfo.InvariantCulture, $"codex:{_sessionId}:{k.Input}:{k.Cached}:{k.Output}:{k.Reasoning}:{k.Total}")
                : string.Create(CultureInfo.InvariantCulture, $"codex:{_sessionId}:@{lineOffset}");
            var cached = Math.Min(usage.Cached, usage.Input);
            var record = new TokenUsageRecord(
                key,
                _sessionId,
                _model,
                timestamp,
                InputTokens: usage.Input - cached,
                OutputTokens: usage.Output,
                CacheCreationTokens: 0,
                CacheReadTokens: cached,
                FromSubAgent: false);
            sink.OnUsage(record);

            // The same usage, with its ledger key, for the server's accounting.
            var writer = Begin();
            writer.WriteString(EventFields.Kind, "usage");
            writer.WriteTokenUsage(record, usage.Reasoning);
            WriteIfPresent(writer, EventFields.Model, _model);
            Emit(EventType.Metadata, timestamp, writer);
        }

        private Utf8JsonWriter Begin()
        {
            _buffer.Clear();
            var writer = new Utf8JsonWriter(_buffer, WriterOptions);
            writer.WriteStartObject();
            return writer;
        }

        /// <summary>Starts a message event's data: its kind, its text and the turn's model.</summary>
        private Utf8JsonWriter BeginMessage(AuthorRole role, MessageType messageType, string text)
        {
            var writer = Begin();
            writer.WriteMessageKind(role, messageType);
            writer.WriteString(EventFields.Content, text);
            WriteIfPresent(writer, EventFields.Model, _model);
            return writer;
        }

        private void Emit(EventType type, DateTimeOffset timestamp, Utf8JsonWriter writer)
        {
            writer.WriteEndObject();
            writer.Flush();
            writer.Dispose();
            var data = _buffer.WrittenSpan.ToArray();
            using var document = JsonDocument.Parse(data);
            var hash = EventHash.Compute(type, timestamp, HashedData(type, document.RootElement));
            sink.OnEvent(new ParsedSessionRef(_sessionId, null), new ParsedEvent(WireName.Of(type), timestamp, hash, data));
        }

        /// <summary>
        /// The data without the fields taken from other lines (<c>model</c> from turn_context, a result's
        /// <c>tool_name</c> from its call), so an event read incrementally hashes like the same event read from offset 0.
        /// </summary>
        private JsonElement HashedData(EventType type, JsonElement data)
        {
            if (!data.TryGetProperty(EventFields.Model, out _) && !data.TryGetProperty(EventFields.ToolName, out _))
            {
                return data;
            }

            var isResult = type == EventType.ToolResult;
            var buffer = new ArrayBufferWriter<byte>(_buffer.WrittenCount);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                foreach (var property in data.EnumerateObject())
                {
                    if (property.NameEquals(EventFields.Model) || (isResult && property.NameEquals(EventFields.ToolName)))
                    {
                        continue;
                    }

                    property.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            using var filtered = JsonDocument.Parse(buffer.WrittenMemory);
            return filtered.RootElement.Clone();
        }
    }

    private static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static JsonDocument? TryParseObject(string text)
    {
        try
        {
            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
