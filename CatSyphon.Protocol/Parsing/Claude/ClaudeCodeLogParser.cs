using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CatSyphon.Protocol.Internal;

namespace CatSyphon.Protocol.Parsing.Claude;

/// <summary>
/// Parses Claude Code session logs (<c>~/.claude/projects/&lt;project&gt;/…jsonl</c>, versions 1.0.x and 2.x).
/// </summary>
/// <remarks>
/// <para>Layouts and session ids:</para>
/// <list type="bullet">
/// <item>main session <c>projects/&lt;p&gt;/&lt;uuid&gt;.jsonl</c>: session id = the lines' <c>sessionId</c>
/// (else the file name). Old-style inline sub-agent lines (<c>isSidechain</c>) stay in the main session,
/// their prompts with author_role <c>caller</c> and their data marked <c>is_sidechain</c>.</item>
/// <item>sub-agent <c>projects/&lt;p&gt;/&lt;session&gt;/subagents/agent-&lt;id&gt;.jsonl</c> (parent = folder name) or
/// flat <c>projects/&lt;p&gt;/agent-&lt;id&gt;.jsonl</c> (parent = the lines' <c>sessionId</c>): session id =
/// <c>&lt;parent&gt;:agent-&lt;id&gt;</c> (agent ids are short and only unique within a parent), parent_session_id =
/// the parent. A flat file whose lines carry no sessionId is its own session <c>agent-&lt;id&gt;</c>.</item>
/// </list>
/// <para>Events: session_start once (at the file's first line with a sessionId, in the call that starts at
/// offset 0); user text -> message human/prompt (caller/prompt in sub-agents; isMeta -> system/context;
/// isCompactSummary -> system/summary); tool_result blocks -> tool_result; assistant text -> one
/// message assistant/response per line; thinking blocks -> thinking; tool_use -> tool_call (with
/// <c>file_change</c> for Edit/MultiEdit/Write/NotebookEdit and <c>plan</c> for ExitPlanMode and plan files);
/// API error lines -> error; summary lines -> message system/summary; system lines -> metadata.</para>
/// <para>Skipped on purpose (counted in <see cref="ParseSummary.Lines"/> only): <c>progress</c> lines (often
/// most of a file: hook/bash output streaming and agent_progress copies of sub-agent messages that are also in
/// the sub-agent's own file, so events per progress line would multiply volume for no information) and
/// <c>file-history-snapshot</c> (editor backup bookkeeping). Other record types (queue-operation,
/// last-prompt, future ones) become one <c>metadata</c> event carrying the raw record (when under 64 KiB).</para>
/// <para>Event hashes are SHA-256 (<see cref="EventHash"/>) of type, the line's own timestamp (Unix epoch when
/// it has none) and data, so they depend only on line content; <see cref="ParsedEvent.EmittedAt"/> of a line
/// without timestamp is the last timestamp seen before it in the same call, else the first one after it
/// (<see cref="LeadingUntimedEvents"/>), else the epoch.</para>
/// <para>Token usage follows ccusage 20.0.24 (as encoded by shared/tools/expected_totals.py): see
/// <see cref="TryReadUsage"/>.</para>
/// </remarks>
public sealed class ClaudeCodeLogParser : ISessionLogParser
{
    private const int MaxWarnings = 10;
    private const int MaxRawMetadataBytes = 64 * 1024;

    private static readonly byte[] UsageMarker = "\"usage\":{"u8.ToArray();

    public string AgentType => AgentTypes.ClaudeCode;

    public ParseSummary Parse(Stream stream, ParseRequest request, IParsedLogSink sink)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);

        ClaudeLogPath.TryResolve(request.Path, out var location);
        var state = new FileState(location, request.StartOffset == 0);
        var leading = new LeadingUntimedEvents(sink);
        var warnings = new List<string>();
        int lines = 0, malformed = 0;
        long lineStart = request.StartOffset;

        using var reader = new JsonlLineReader(stream);
        using var buffers = ParseBuffers.Take();
        var output = new LineOutput(buffers.Events, buffers.Text, buffers.ResultText, new RepeatedStrings());
        while (reader.TryReadLine(out var line))
        {
            lines++;
            var offset = lineStart;
            lineStart = request.StartOffset + reader.Consumed;
            var span = line.Span;
            if (span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 256 });
            }
            catch (JsonException ex)
            {
                malformed++;
                Warn(warnings, $"line at byte {offset}: not JSON ({ex.Message})");
                continue;
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    malformed++;
                    Warn(warnings, $"line at byte {offset}: JSON {doc.RootElement.ValueKind}, not an object");
                    continue;
                }

                try
                {
                    ProcessLine(doc.RootElement, span, state, sink, leading, output);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
                {
                    malformed++;
                    Warn(warnings, $"line at byte {offset}: skipped ({ex.GetType().Name}: {ex.Message})");
                }
            }
        }

        leading.Release(null);
        if (reader.OversizedLines > 0)
        {
            malformed += reader.OversizedLines;
            Warn(warnings, $"{reader.OversizedLines} line(s) over {JsonlLineReader.DefaultMaxLineBytes} bytes skipped");
        }

        return new ParseSummary(AgentType, request.StartOffset + reader.Consumed, lines, malformed, warnings);
    }

    private static void Warn(List<string> warnings, string text)
    {
        if (warnings.Count < MaxWarnings)
        {
            warnings.Add(text);
        }
    }

    private void ProcessLine(JsonElement rec, ReadOnlySpan<byte> raw, FileState state, IParsedLogSink fileSink, LeadingUntimedEvents leading, LineOutput output)
    {
        var type = output.Strings.Str(rec, "type"u8);
        var lineSessionId = output.Strings.Str(rec, "sessionId"u8);
        var timestamp = ClaudeTimestamp.Read(rec);
        if (timestamp is { } ts)
        {
            if (state.LastTimestamp is null)
            {
                leading.Release(ts);
            }

            state.LastTimestamp = ts;
        }

        // Until the first timestamp, events wait for it; after it they go straight to the file's sink.
        var sink = state.LastTimestamp is null ? leading : fileSink;

        output.Events.SetTimestamp(timestamp ?? DateTimeOffset.UnixEpoch);
        var ctx = new LineContext(rec, timestamp ?? state.LastTimestamp ?? DateTimeOffset.UnixEpoch, sink, output);

        // Token usage first: it must not depend on whether the events below could be built.
        if (TryReadUsage(rec, raw, lineSessionId ?? state.Location.PathSessionId, timestamp, output.Strings, out var usage))
        {
            sink.OnUsage(usage);
        }

        if (!string.IsNullOrEmpty(lineSessionId))
        {
            state.Resolve(lineSessionId);
            if (state.EmitSessionStart)
            {
                state.EmitSessionStart = false;
                EmitSessionStart(ctx, state);
            }
        }

        var session = state.Session;
        if (session is null)
        {
            // Lines before any sessionId (a leading summary line): attribute them by path.
            state.Resolve(null);
            session = state.Session!;
        }

        var sidechain = rec.TryGetProperty("isSidechain"u8, out var sc) && sc.ValueKind == JsonValueKind.True;
        switch (type)
        {
            case "user":
                User(ctx, session, sidechain || state.Location.IsSubAgentFile, sidechain);
                break;
            case "assistant":
                Assistant(ctx, session, sidechain, usage);
                break;
            case "summary":
                Emit(ctx, session, EventType.Message, w =>
                {
                    w.WriteMessageKind(AuthorRole.System, MessageType.Summary);
                    WriteStr(w, EventFields.Content, rec, "summary"u8);
                    WriteStr(w, EventFields.LeafUuid, rec, "leafUuid"u8);
                });
                break;
            case "system":
                System(ctx, session);
                break;
            case "progress":
            case "file-history-snapshot":
                break;
            default:
                var rawLength = raw.Length;
                Emit(ctx, session, EventType.Metadata, w =>
                {
                    w.WriteString(EventFields.Kind, type ?? "unknown");
                    WriteStr(w, EventFields.Uuid, rec, "uuid"u8);
                    if (rawLength <= MaxRawMetadataBytes)
                    {
                        WriteRaw(w, EventFields.Raw, rec);
                    }
                    else
                    {
                        w.WriteNumber(EventFields.RawBytes, rawLength);
                    }
                });
                break;
        }
    }

    private static void EmitSessionStart(LineContext ctx, FileState state)
    {
        var session = state.Session!;
        var rec = ctx.Record;
        Emit(ctx, session, EventType.SessionStart, w =>
        {
            w.WriteString(EventFields.AgentType, AgentTypes.ClaudeCode);
            WriteStr(w, EventFields.AgentVersion, rec, "version"u8);
            WriteStr(w, EventFields.WorkingDirectory, rec, "cwd"u8);
            WriteStr(w, EventFields.GitBranch, rec, "gitBranch"u8);
            if (session.ParentSessionId is { } parent)
            {
                w.WriteString(EventFields.ParentSessionId, parent);
            }

            WriteStr(w, EventFields.Slug, rec, "slug"u8);
            WriteStr(w, EventFields.AgentId, rec, "agentId"u8);
        });
    }

    private static void User(LineContext ctx, ParsedSessionRef session, bool fromCaller, bool sidechain)
    {
        var rec = ctx.Record;
        if (!rec.TryGetProperty("message"u8, out var msg) || msg.ValueKind != JsonValueKind.Object
            || !msg.TryGetProperty("content"u8, out var content))
        {
            return;
        }

        var text = ctx.Output.Text;
        text.Clear();
        foreach (var (type, block) in ContentBlocks(content, ctx.Output))
        {
            if (type == "tool_result")
            {
                ToolResult(ctx, session, block, sidechain);
            }
        }

        // String content is a prompt even when empty; blocks make one only when they hold text.
        if (content.ValueKind != JsonValueKind.String && !text.HasText)
        {
            return;
        }

        AuthorRole role;
        MessageType messageType;
        if (Bool(rec, "isCompactSummary"u8))
        {
            (role, messageType) = (AuthorRole.System, MessageType.Summary);
        }
        else if (Bool(rec, "isMeta"u8))
        {
            (role, messageType) = (AuthorRole.System, MessageType.Context);
        }
        else
        {
            (role, messageType) = (fromCaller ? AuthorRole.Caller : AuthorRole.Human, MessageType.Prompt);
        }

        Emit(ctx, session, EventType.Message, w =>
        {
            w.WriteMessageKind(role, messageType);
            text.WriteTo(w, EventFields.Content);
            WriteIds(w, rec);
            if (sidechain)
            {
                w.WriteBoolean(EventFields.IsSidechain, true);
            }
        });
    }

    private static void ToolResult(LineContext ctx, ParsedSessionRef session, JsonElement block, bool sidechain)
    {
        // tool_use_id is required on the wire (a batch with one empty id is rejected): skip results without one.
        if (string.IsNullOrEmpty(Str(block, "tool_use_id"u8)))
        {
            return;
        }

        var isError = Bool(block, "is_error"u8);
        var result = ctx.Output.ResultText;
        var hasResult = block.TryGetProperty("content"u8, out var c) && FlattenText(c, result, ctx.Output.Strings);
        Emit(ctx, session, EventType.ToolResult, w =>
        {
            WriteStr(w, EventFields.ToolUseId, block, "tool_use_id"u8);
            w.WriteBoolean(EventFields.Success, !isError);
            if (hasResult)
            {
                result.WriteTo(w, EventFields.Result);
            }

            if (isError)
            {
                if (hasResult)
                {
                    result.WriteTo(w, EventFields.ErrorMessage);
                }
                else
                {
                    w.WriteString(EventFields.ErrorMessage, "error");
                }
            }

            WriteIds(w, ctx.Record);
            if (sidechain)
            {
                w.WriteBoolean(EventFields.IsSidechain, true);
            }
        });
    }

    private static void Assistant(LineContext ctx, ParsedSessionRef session, bool sidechain, TokenUsageRecord? usage)
    {
        var rec = ctx.Record;
        if (!rec.TryGetProperty("message"u8, out var msg) || msg.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // The line's counted usage rides on the first event the line yields, with its ledger key, so the
        // server can account tokens exactly as the ledger does (one usage per key, main beats sub-agent,
        // larger total wins) whatever blocks the line holds.
        var usagePending = usage is not null;
        void WriteUsage(Utf8JsonWriter w)
        {
            if (!usagePending)
            {
                return;
            }

            usagePending = false;
            w.WriteStartObject(EventFields.TokenUsage);
            w.WriteNumber(UsageFields.InputTokens, usage!.InputTokens);
            w.WriteNumber(UsageFields.OutputTokens, usage.OutputTokens);
            w.WriteNumber(UsageFields.CacheCreationInputTokens, usage.CacheCreationTokens);
            w.WriteNumber(UsageFields.CacheReadInputTokens, usage.CacheReadTokens);
            if (usage.CacheCreation1hTokens != 0)
            {
                w.WriteNumber(UsageFields.CacheCreation1hInputTokens, usage.CacheCreation1hTokens);
            }

            if (usage.Fast)
            {
                w.WriteString(UsageFields.Speed, UsageFields.FastSpeed);
            }

            w.WriteEndObject();
            w.WriteString(EventFields.UsageKey, usage.DedupKey);
            if (usage.FromSubAgent)
            {
                w.WriteBoolean(EventFields.UsageFromSubAgent, true);
            }

            WriteStr(w, EventFields.RequestId, rec, "requestId"u8);
            if (usage.Model is not null)
            {
                w.WriteString(EventFields.UsageModel, usage.Model);
            }
        }

        var apiError = Bool(rec, "isApiErrorMessage"u8);
        var text = ctx.Output.Text;
        text.Clear();
        if (msg.TryGetProperty("content"u8, out var content))
        {
            foreach (var (type, block) in ContentBlocks(content, ctx.Output))
            {
                switch (type)
                {
                    case "thinking":
                    case "redacted_thinking":
                        Emit(ctx, session, EventType.Thinking, w =>
                        {
                            if (!WriteStr(w, EventFields.Content, block, "thinking"u8))
                            {
                                w.WriteString(EventFields.Content, "");
                            }

                            if (type == "redacted_thinking")
                            {
                                w.WriteBoolean(EventFields.Redacted, true);
                            }

                            WriteStr(w, EventFields.Model, msg, "model"u8);
                            WriteStr(w, EventFields.ApiMessageId, msg, "id"u8);
                            WriteIds(w, rec);
                            WriteUsage(w);
                        });
                        break;
                    case "tool_use":
                        ToolCall(ctx, session, block, msg, sidechain, WriteUsage);
                        break;
                }
            }
        }

        if (!text.HasText)
        {
            if (usagePending)
            {
                // Nothing else to carry it: the usage still reaches the server.
                Emit(ctx, session, EventType.Metadata, w =>
                {
                    w.WriteString(EventFields.Kind, "usage");
                    WriteStr(w, EventFields.Model, msg, "model"u8);
                    WriteStr(w, EventFields.ApiMessageId, msg, "id"u8);
                    WriteIds(w, rec);
                    WriteUsage(w);
                });
            }

            return;
        }

        if (apiError)
        {
            Emit(ctx, session, EventType.Error, w =>
            {
                w.WriteString(EventFields.ErrorType, "api_error");
                text.WriteTo(w, EventFields.Message);
                WriteIds(w, rec);
                WriteUsage(w);
            });
            return;
        }

        Emit(ctx, session, EventType.Message, w =>
        {
            w.WriteMessageKind(AuthorRole.Assistant, MessageType.Response);
            text.WriteTo(w, EventFields.Content);
            WriteStr(w, EventFields.Model, msg, "model"u8);

            WriteStr(w, EventFields.StopReason, msg, "stop_reason"u8);
            WriteStr(w, EventFields.ApiMessageId, msg, "id"u8);
            if (!usagePending)
            {
                WriteStr(w, EventFields.RequestId, rec, "requestId"u8);
            }

            WriteIds(w, rec);
            WriteUsage(w);

            if (sidechain)
            {
                w.WriteBoolean(EventFields.IsSidechain, true);
            }
        });
    }

    private static void ToolCall(LineContext ctx, ParsedSessionRef session, JsonElement block, JsonElement msg, bool sidechain, Action<Utf8JsonWriter> writeUsage)
    {
        // tool_name and tool_use_id are required on the wire: a call without an id cannot be matched, so it is skipped.
        var id = Str(block, "id"u8);
        if (string.IsNullOrEmpty(id))
        {
            return;
        }

        var name = Str(block, "name"u8) is { Length: > 0 } n ? n : "unknown";
        var hasInput = block.TryGetProperty("input"u8, out var input);
        Emit(ctx, session, EventType.ToolCall, w =>
        {
            w.WriteString(EventFields.ToolName, name);
            w.WriteString(EventFields.ToolUseId, id);
            if (hasInput)
            {
                WriteRaw(w, EventFields.Parameters, input);
                if (input.ValueKind == JsonValueKind.Object)
                {
                    ToolFacts.Write(w, name, input);
                }
            }

            WriteStr(w, EventFields.Model, msg, "model"u8);
            WriteStr(w, EventFields.ApiMessageId, msg, "id"u8);
            WriteIds(w, ctx.Record);
            writeUsage(w);
            if (sidechain)
            {
                w.WriteBoolean(EventFields.IsSidechain, true);
            }
        });
    }

    private static void System(LineContext ctx, ParsedSessionRef session)
    {
        var rec = ctx.Record;
        var subtype = Str(rec, "subtype"u8);
        Emit(ctx, session, EventType.Metadata, w =>
        {
            w.WriteString(EventFields.Kind, subtype ?? "system");
            WriteStr(w, EventFields.Content, rec, "content"u8);
            WriteStr(w, EventFields.Level, rec, "level"u8);
            WriteStr(w, EventFields.Uuid, rec, "uuid"u8);
            WriteStr(w, EventFields.LogicalParentUuid, rec, "logicalParentUuid"u8);
            foreach (var name in (ReadOnlySpan<string>)["compactMetadata", "durationMs", "hookCount", "hookInfos", "hookErrors", "preventedContinuation", "stopReason"])
            {
                if (rec.TryGetProperty(name, out var value))
                {
                    WriteRaw(w, name, value);
                }
            }
        });
    }

    /// <summary>
    /// ccusage's usage rules: the raw line contains <c>"usage":{</c>; none of id/cwd/model/speed/costUSD/version/
    /// sessionId/requestId/isApiErrorMessage/cache_*_input_tokens is <c>null</c>; message.usage.input_tokens and
    /// output_tokens are integers; the timestamp parses; version (if any) looks like N.N.N; sessionId, requestId,
    /// message.id and model are not empty strings. Cache creation = cache_creation.ephemeral_5m + ephemeral_1h when
    /// <c>cache_creation</c> is an object (its 1-hour part kept apart, since it costs more), else
    /// cache_creation_input_tokens, all 5-minute writes. Fast mode is message.usage.speed <c>"fast"</c>. Dedup key = message.id + requestId +
    /// the line's sessionId (else the path's session); empty (never deduplicated) without message.id.
    /// <c>&lt;synthetic&gt;</c> counts with no model. Only <c>message.usage</c> counts (a Task result's
    /// <c>toolUseResult.usage</c> repeats the sub-agent's tokens and is ignored).
    /// </summary>
    internal static bool TryReadUsage(JsonElement rec, ReadOnlySpan<byte> raw, string sessionId, DateTimeOffset? timestamp, RepeatedStrings strings, out TokenUsageRecord usage)
    {
        usage = null!;

        // Every rule must hold, so the checks that cannot throw may come in any order: those that turn away a line
        // without message.usage (user lines, most of a log's bytes) come before the two scans of the whole raw line.
        // TryGetInt64 throws on a token count that is not a number, so it stays after the scans, as it always was.
        if (timestamp is null
            || !rec.TryGetProperty("message"u8, out var msg) || msg.ValueKind != JsonValueKind.Object
            || !msg.TryGetProperty("usage"u8, out var u) || u.ValueKind != JsonValueKind.Object
            || raw.IndexOf(UsageMarker) < 0 || HasForbiddenNull(raw)
            || !u.TryGetProperty("input_tokens"u8, out var inTok) || !inTok.TryGetInt64(out var input)
            || !u.TryGetProperty("output_tokens"u8, out var outTok) || !outTok.TryGetInt64(out var outputTokens))
        {
            return false;
        }

        if (rec.TryGetProperty("version"u8, out var version) && !LooksLikeVersion(version))
        {
            return false;
        }

        if (IsEmptyString(rec, "sessionId"u8) || IsEmptyString(rec, "requestId"u8) || IsEmptyString(msg, "id"u8) || IsEmptyString(msg, "model"u8))
        {
            return false;
        }

        var model = strings.Str(msg, "model"u8);
        if (model == "<synthetic>")
        {
            model = null;
        }

        var key = DedupKey(Property(msg, "id"u8), Property(rec, "requestId"u8), sessionId);
        var (cacheCreation, oneHour) = CacheCreation(u);
        usage = new TokenUsageRecord(
            key,
            sessionId,
            model,
            timestamp.Value,
            input,
            outputTokens,
            cacheCreation,
            Long(u, "cache_read_input_tokens"u8),
            Bool(rec, "isSidechain"u8))
        {
            CacheCreation1hTokens = oneHour,
            Fast = u.TryGetProperty("speed"u8, out var speed) && speed.ValueKind == JsonValueKind.String && speed.ValueEquals("fast"u8),
        };
        return true;
    }

    /// <summary>
    /// message.id "\n" requestId "\n" the session, or "" when message.id is not a string. Ids without escapes or invalid
    /// UTF-8 (all that Claude Code writes) are decoded straight into the one key string: decoding each into a string of
    /// its own first and then joining them made about a tenth of what a scan allocated.
    /// </summary>
    private static string DedupKey(JsonElement id, JsonElement requestId, string sessionId)
    {
        if (id.ValueKind != JsonValueKind.String)
        {
            return "";
        }

        var idText = Unquoted(id);
        var requestText = requestId.ValueKind == JsonValueKind.String ? Unquoted(requestId) : [];
        Span<char> key = stackalloc char[256];
        if (idText.Length + requestText.Length + sessionId.Length + 2 > key.Length
            || idText.Contains((byte)'\\') || requestText.Contains((byte)'\\') || !Utf8.IsValid(idText) || !Utf8.IsValid(requestText))
        {
            return string.Concat(SafeString(id), "\n", requestId.ValueKind == JsonValueKind.String ? SafeString(requestId) : "", "\n", sessionId);
        }

        var n = Encoding.UTF8.GetChars(idText, key);
        key[n++] = '\n';
        n += Encoding.UTF8.GetChars(requestText, key[n..]);
        key[n++] = '\n';
        sessionId.CopyTo(key[n..]);
        return new string(key[..(n + sessionId.Length)]);
    }

    private static ReadOnlySpan<byte> Unquoted(JsonElement value) => JsonMarshal.GetRawUtf8Value(value)[1..^1];

    private static readonly byte[][] ForbiddenNulls =
    [
        .. new[] { "id", "cwd", "model", "speed", "costUSD", "version", "sessionId", "requestId", "isApiErrorMessage", "cache_read_input_tokens", "cache_creation_input_tokens" }
            .Select(Encoding.ASCII.GetBytes),
    ];

    /// <summary>Whether the raw line has <c>"name":null</c> for a field ccusage's schema refuses as null.</summary>
    internal static bool HasForbiddenNull(ReadOnlySpan<byte> raw)
    {
        var pattern = "\":null"u8;
        var pos = 0;
        while (true)
        {
            var k = raw[pos..].IndexOf(pattern);
            if (k < 0)
            {
                return false;
            }

            var end = pos + k; // index of the closing quote of the name
            var start = end;
            while (start > 0 && IsNameByte(raw[start - 1]))
            {
                start--;
            }

            if (start < end && start > 0 && raw[start - 1] == (byte)'"')
            {
                var name = raw[start..end];
                foreach (var forbidden in ForbiddenNulls)
                {
                    if (name.SequenceEqual(forbidden))
                    {
                        return true;
                    }
                }
            }

            pos = end + pattern.Length;
        }
    }

    private static bool IsNameByte(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_';

    private static bool LooksLikeVersion(JsonElement version)
    {
        // Python: SEMVER.match(str(v)) with ^\d+\.\d+\.\d. Matched on the UTF-8 bytes (digits and dots are ASCII),
        // which need decoding only when escaped: this ran on every usage line and made a string each time.
        var raw = JsonMarshal.GetRawUtf8Value(version);
        ReadOnlySpan<byte> text = version.ValueKind != JsonValueKind.String ? raw
            : raw.Contains((byte)'\\') ? Encoding.UTF8.GetBytes(SafeString(version)) : raw[1..^1];
        var i = 0;
        for (var part = 0; part < 2; part++)
        {
            var digits = 0;
            while (i < text.Length && char.IsAsciiDigit((char)text[i]))
            {
                i++;
                digits++;
            }

            if (digits == 0 || i >= text.Length || text[i] != (byte)'.')
            {
                return false;
            }

            i++;
        }

        return i < text.Length && char.IsAsciiDigit((char)text[i]);
    }

    /// <summary>All cache creation tokens, and those of them written to the 1-hour cache.</summary>
    private static (long Total, long OneHour) CacheCreation(JsonElement usage)
    {
        if (usage.TryGetProperty("cache_creation"u8, out var cc) && cc.ValueKind == JsonValueKind.Object)
        {
            var oneHour = Long(cc, "ephemeral_1h_input_tokens"u8);
            return (Long(cc, "ephemeral_5m_input_tokens"u8) + oneHour, oneHour);
        }

        return (Long(usage, "cache_creation_input_tokens"u8), 0);
    }

    private static void Emit(LineContext ctx, ParsedSessionRef session, EventType type, Action<Utf8JsonWriter> writeFields)
    {
        var events = ctx.Output.Events;
        var wireType = WireName.Of(type);
        writeFields(events.Start(wireType));
        events.Finish(wireType, ctx.EmittedAt, session, ctx.Sink);
    }

    private static void WriteIds(Utf8JsonWriter w, JsonElement rec)
    {
        WriteStr(w, EventFields.Uuid, rec, "uuid"u8);
        WriteStr(w, EventFields.ParentUuid, rec, "parentUuid"u8);
    }

    /// <summary>Writes the string property <paramref name="property"/> of <paramref name="obj"/>, when there is one, as <paramref name="name"/>.</summary>
    private static bool WriteStr(Utf8JsonWriter w, string name, JsonElement obj, ReadOnlySpan<byte> property)
    {
        var value = Property(obj, property);
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (JsonStringCodec.MayNeedRepair(raw[1..^1]))
        {
            w.WriteString(name, SafeString(value));
        }
        else
        {
            // Valid as it was read: copied with its own escaping, never decoded.
            w.WritePropertyName(name);
            w.WriteRawValue(raw, skipInputValidation: true);
        }

        return true;
    }

    /// <summary>Writes a JSON value as it was read when it holds nothing to repair (else re-serialized).</summary>
    private static void WriteRaw(Utf8JsonWriter w, string name, JsonElement value)
    {
        w.WritePropertyName(name);
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (JsonStringCodec.MayNeedRepair(raw))
        {
            value.WriteTo(w);
        }
        else
        {
            w.WriteRawValue(raw, skipInputValidation: true);
        }
    }

    private static JsonElement Property(JsonElement obj, ReadOnlySpan<byte> property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var value) ? value : default;

    /// <summary>
    /// A message's content, read in order: a string is appended to <paramref name="text"/> whole; of an array, text
    /// blocks are appended and every other object block is yielded with its type (so what handles a block runs after
    /// the text before it was appended, as in the line).
    /// </summary>
    private static IEnumerable<(string? Type, JsonElement Block)> ContentBlocks(JsonElement content, LineOutput output)
    {
        var text = output.Text;
        if (content.ValueKind == JsonValueKind.String)
        {
            text.Append(content);
            yield break;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var type = output.Strings.Str(block, "type"u8);
            if (type == "text")
            {
                text.Append(Property(block, "text"u8));
            }
            else
            {
                yield return (type, block);
            }
        }
    }

    /// <summary>Tool result content: a string, or blocks whose text parts are joined (images are noted).</summary>
    private static bool FlattenText(JsonElement content, JsonTextJoiner text, RepeatedStrings strings)
    {
        text.Clear();
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(content);
                return true;
            case JsonValueKind.Array:
                foreach (var block in content.EnumerateArray())
                {
                    if (block.ValueKind == JsonValueKind.String)
                    {
                        text.Append(block);
                    }
                    else if (block.ValueKind == JsonValueKind.Object)
                    {
                        var type = strings.Str(block, "type"u8);
                        if (type == "text")
                        {
                            text.Append(Property(block, "text"u8));
                        }
                        else
                        {
                            text.Append($"[{type ?? "block"}]");
                        }
                    }
                }

                return true;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return false;
            default:
                text.Append(content.GetRawText());
                return true;
        }
    }

    internal static string? Str(JsonElement obj, ReadOnlySpan<byte> property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
            ? SafeString(v)
            : null;

    /// <summary>
    /// The string value, never throwing: U+0000 and lone surrogates become U+FFFD (as the server would make them),
    /// so event data always holds valid text.
    /// </summary>
    internal static string SafeString(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var content = raw.Length >= 2 ? raw[1..^1] : raw;
        return JsonStringCodec.MayNeedRepair(content)
            ? JsonStringCodec.DecodeToString(content, repair: true, out _)
            : value.GetString() ?? "";
    }

    private static bool Bool(JsonElement obj, ReadOnlySpan<byte> property) =>
        obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.True;

    private static bool IsEmptyString(JsonElement obj, ReadOnlySpan<byte> property) =>
        obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String && v.ValueEquals(ReadOnlySpan<byte>.Empty);

    internal static long Long(JsonElement obj, ReadOnlySpan<byte> property)
    {
        if (!obj.TryGetProperty(property, out var v) || v.ValueKind != JsonValueKind.Number)
        {
            return 0;
        }

        return v.TryGetInt64(out var l) ? l : (long)v.GetDouble();
    }

    private readonly record struct LineContext(JsonElement Record, DateTimeOffset EmittedAt, IParsedLogSink Sink, LineOutput Output);

    /// <summary>What a parse reuses for every event: the event writer, the text of the message and the tool result being built, and recurring strings.</summary>
    private sealed record LineOutput(ContentHashedEventWriter Events, JsonTextJoiner Text, JsonTextJoiner ResultText, RepeatedStrings Strings);

    private sealed class FileState(ClaudeLogPath location, bool fromStart)
    {
        public ClaudeLogPath Location { get; } = location;
        public bool EmitSessionStart { get; set; } = fromStart;
        public DateTimeOffset? LastTimestamp { get; set; }
        public ParsedSessionRef? Session { get; private set; }

        public void Resolve(string? lineSessionId)
        {
            if (Session is not null && (lineSessionId is null || Session.SessionId == lineSessionId || Session.ParentSessionId == lineSessionId))
            {
                return;
            }

            Session = Location.SessionFor(lineSessionId);
        }
    }
}
