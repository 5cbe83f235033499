using System.Text;
using System.Text.Json;
using CatSyphon.Protocol.Parsing;
using CatSyphon.Protocol.Parsing.Codex;
using static CatSyphon.Protocol.Tests.Parsing.CodexTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

public sealed class CodexLogParserTests
{
    private static string Conversation() =>
        Meta()
        + ResponseMessage("2025-10-05T10:00:01.000Z", "user", "<environment_context>\n  <cwd>/home/dev/proj</cwd>\n</environment_context>")
        + ResponseMessage("2025-10-05T10:00:01.000Z", "developer", "<permissions instructions>")
        + TurnContext("2025-10-05T10:00:02.000Z", "gpt-5-codex")
        + ResponseMessage("2025-10-05T10:00:03.000Z", "user", "Fix the parser 🚀")
        + UserMessage("2025-10-05T10:00:03.001Z", "Fix the parser 🚀")
        + AgentReasoning("2025-10-05T10:00:04.000Z", "**Looking at files**")
        + Reasoning("2025-10-05T10:00:04.001Z", "**Looking at files**")
        + FunctionCall("2025-10-05T10:00:05.000Z", "call_1", "shell", """{"command":["bash","-lc","ls"]}""")
        + FunctionOutput("2025-10-05T10:00:06.000Z", "call_1", """{"output":"a\nb","metadata":{"exit_code":0,"duration_seconds":0.1}}""")
        + FunctionCall("2025-10-05T10:00:07.000Z", "call_2", "shell", """{"command":["bash","-lc","false"]}""")
        + FunctionOutput("2025-10-05T10:00:08.000Z", "call_2", """{"output":"boom","metadata":{"exit_code":1}}""")
        + TokenCount("2025-10-05T10:00:09.000Z", Usage(1000, 400, 50, 20), Usage(1000, 400, 50, 20))
        + AgentMessage("2025-10-05T10:00:10.000Z", "Done: fixed it.")
        + ResponseMessage("2025-10-05T10:00:10.001Z", "assistant", "Done: fixed it.");

    [Theory]
    [InlineData("/home/a/.codex/sessions/2025/10/05/rollout-2025-10-05T10-00-00-0199a213-81c0-7800-8aa1-bbab2a035a53.jsonl", true)]
    [InlineData(@"C:\Users\a\.codex\sessions\2025\10\05\rollout-x.jsonl", true)]
    [InlineData("/home/a/.codex/sessions/rollout-x.jsonl", false)]
    [InlineData("/home/a/.codex/sessions/2025/10/05/other.jsonl", false)]
    [InlineData("/home/a/.codex/sessions/2025/10/05/rollout-x.json", false)]
    [InlineData("/home/a/.claude/projects/p/0199a213.jsonl", false)]
    [InlineData("", false)]
    public void CanParse_accepts_rollout_files_in_a_date_tree(string path, bool expected)
    {
        var parser = new CodexLogParser();
        Assert.Equal(AgentTypes.Codex, parser.AgentType);
        Assert.Equal(expected, parser.CanParse(path));
    }

    [Fact]
    public void Session_meta_becomes_session_start()
    {
        var (summary, sink) = Parse(Meta("11111111-2222-3333-4444-555555555555"));
        Assert.Equal(AgentTypes.Codex, summary.AgentType);
        var (session, start) = Assert.Single(sink.Events);
        Assert.Equal("11111111-2222-3333-4444-555555555555", session.SessionId);
        Assert.Null(session.ParentSessionId);
        Assert.Equal("session_start", start.Type);
        Assert.Equal(DateTimeOffset.Parse("2025-10-05T10:00:00Z"), start.EmittedAt);
        Assert.Equal("codex", Str(start, "agent_type"));
        Assert.Equal("0.63.0", Str(start, "agent_version"));
        Assert.Equal("/home/dev/proj", Str(start, "working_directory"));
        Assert.Equal("feature/x", Str(start, "git_branch"));
        Assert.Equal("abc123", Str(start, "git_commit"));
    }

    [Fact]
    public void Turn_boundaries_web_searches_compaction_and_unknown_records_are_kept_as_metadata()
    {
        var text = Meta()
            + Line("2025-10-05T10:00:01Z", "event_msg", new Dictionary<string, object> { ["type"] = "task_started", ["turn_id"] = "t1", ["model_context_window"] = 258400 })
            + Line("2025-10-05T10:00:02Z", "response_item", new Dictionary<string, object> { ["type"] = "web_search_call", ["status"] = "completed" })
            + Line("2025-10-05T10:00:03Z", "compacted", new Dictionary<string, object> { ["message"] = "", ["replacement_history"] = new[] { new { type = "message", role = "user" } } })
            + Line("2025-10-05T10:00:04Z", "event_msg", new Dictionary<string, object> { ["type"] = "context_compacted" })
            + Line("2025-10-05T10:00:05Z", "event_msg", new Dictionary<string, object> { ["type"] = "task_complete", ["turn_id"] = "t1", ["last_agent_message"] = new string('x', 70_000) })
            + Line("2025-10-05T10:00:06Z", "brand_new_record", new Dictionary<string, object> { ["answer"] = 42 })
            + AgentMessage("2025-10-05T10:00:07Z", "said twice, kept once from response_item");

        var (summary, sink) = Parse(text);

        Assert.Equal(0, summary.MalformedLines);
        var metadata = sink.Events.Select(e => e.Event).Where(e => e.Type == "metadata").ToList();
        Assert.Equal(
            ["event_msg/task_started", "response_item/web_search_call", "compacted", "event_msg/context_compacted", "event_msg/task_complete", "brand_new_record"],
            metadata.Select(e => Str(e, "kind")));
        Assert.Equal("t1", Data(metadata[0]).GetProperty("raw").GetProperty("turn_id").GetString());
        Assert.Equal("completed", Data(metadata[1]).GetProperty("raw").GetProperty("status").GetString());
        Assert.True(Data(metadata[4]).GetProperty("raw_bytes").GetInt32() > 70_000);
        Assert.Equal(42, Data(metadata[5]).GetProperty("raw").GetProperty("answer").GetInt32());
        Assert.DoesNotContain(sink.Events, e => e.Event.Type == "message");
    }

    [Fact]
    public void Only_the_first_session_meta_starts_the_session()
    {
        var (_, sink) = Parse(Meta() + Meta("99999999-2222-3333-4444-555555555555") + UserMessage("2025-10-05T10:00:03Z", "hi"));
        Assert.Single(sink.OfType("session_start"));
        Assert.All(sink.Events, e => Assert.Equal(SessionId, e.Session.SessionId));
    }

    [Fact]
    public void Events_before_meta_or_without_meta_use_the_file_name_session_id()
    {
        var (_, sink) = Parse(UserMessage("2025-10-05T10:00:03.001Z", "hi"));
        Assert.Equal(SessionId, Assert.Single(sink.Events).Session.SessionId);
        Assert.Equal(SessionId, CodexLogParser.SessionIdFromPath(LogPath));
        Assert.Null(CodexLogParser.SessionIdFromPath("/x/rollout-nouuid.jsonl"));
    }

    [Fact]
    public void Conversation_maps_every_record_type_once()
    {
        var (summary, sink) = Parse(Conversation());
        Assert.Equal(15, summary.Lines);
        Assert.Equal(0, summary.MalformedLines);
        Assert.Equal(
            ["session_start", "message", "thinking", "tool_call", "tool_result", "tool_call", "tool_result", "metadata", "message"],
            sink.Events.Select(e => e.Event.Type));
        Assert.All(sink.Events, e => Assert.Equal(SessionId, e.Session.SessionId));

        // Each counted usage also travels as a metadata event with its ledger key, for the server's accounting.
        var usageEvent = Assert.Single(sink.OfType("metadata"));
        var usage = Assert.Single(sink.Usage);
        Assert.Equal(usage.DedupKey, Str(usageEvent, "usage_key"));
        var tokens = Data(usageEvent).GetProperty("token_usage");
        Assert.Equal(usage.InputTokens, tokens.GetProperty("input_tokens").GetInt64());
        Assert.Equal(usage.CacheReadTokens, tokens.GetProperty("cache_read_input_tokens").GetInt64());
        Assert.Equal(usage.OutputTokens, tokens.GetProperty("output_tokens").GetInt64());

        var messages = sink.OfType("message").ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal("human", Str(messages[0], "author_role"));
        Assert.Equal("prompt", Str(messages[0], "message_type"));
        Assert.Equal("Fix the parser 🚀", Str(messages[0], "content"));
        Assert.Equal("gpt-5-codex", Str(messages[0], "model"));
        Assert.Equal("assistant", Str(messages[1], "author_role"));
        Assert.Equal("response", Str(messages[1], "message_type"));
        Assert.Equal("Done: fixed it.", Str(messages[1], "content"));
        Assert.Equal("gpt-5-codex", Str(messages[1], "model"));
        Assert.Equal(DateTimeOffset.Parse("2025-10-05T10:00:10.001Z"), messages[1].EmittedAt);

        var thinking = Assert.Single(sink.OfType("thinking"));
        Assert.Equal("**Looking at files**", Str(thinking, "content"));
    }

    [Fact]
    public void Assistant_text_logged_as_agent_message_and_response_item_is_emitted_once()
    {
        var text = AgentMessage("2025-10-05T10:00:10.000Z", "Same text")
            + ResponseMessage("2025-10-05T10:00:10.001Z", "assistant", "Same text")
            + AgentReasoning("2025-10-05T10:00:11.000Z", "Plan")
            + Reasoning("2025-10-05T10:00:11.001Z", "Plan")
            + UserMessage("2025-10-05T10:00:12.000Z", "Prompt")
            + ResponseMessage("2025-10-05T10:00:12.000Z", "user", "Prompt");
        var (_, sink) = Parse(text);
        Assert.Equal(3, sink.Events.Count);
        Assert.Single(sink.OfType("thinking"));
        var messages = sink.OfType("message").ToList();
        Assert.Equal(2, messages.Count);
        Assert.Single(messages, m => Str(m, "author_role") == "assistant" && Str(m, "content") == "Same text");
        Assert.Single(messages, m => Str(m, "author_role") == "human" && Str(m, "content") == "Prompt");
    }

    [Fact]
    public void Encrypted_only_reasoning_and_empty_messages_emit_nothing()
    {
        var text = Line("2025-10-05T10:00:04Z", "response_item", new Dictionary<string, object?> { ["type"] = "reasoning", ["summary"] = Array.Empty<object>(), ["content"] = null, ["encrypted_content"] = "gAAAA" })
            + ResponseMessage("2025-10-05T10:00:05Z", "assistant", "")
            + UserMessage("2025-10-05T10:00:06Z", "");
        var (summary, sink) = Parse(text);
        Assert.Empty(sink.Events);
        Assert.Equal(0, summary.MalformedLines);
    }

    [Fact]
    public void Function_calls_and_outputs_join_by_call_id()
    {
        var (_, sink) = Parse(Conversation());
        var calls = sink.OfType("tool_call").ToList();
        var results = sink.OfType("tool_result").ToList();
        Assert.Equal(["call_1", "call_2"], calls.Select(c => Str(c, "tool_use_id")));
        Assert.Equal("shell", Str(calls[0], "tool_name"));
        var parameters = Data(calls[0]).GetProperty("parameters");
        Assert.Equal(JsonValueKind.Object, parameters.ValueKind);
        Assert.Equal("ls", parameters.GetProperty("command")[2].GetString());

        Assert.Equal(["call_1", "call_2"], results.Select(r => Str(r, "tool_use_id")));
        Assert.Equal("shell", Str(results[0], "tool_name"));
        Assert.Equal("a\nb", Str(results[0], "result"));
        Assert.True(Data(results[0]).GetProperty("success").GetBoolean());
        Assert.Equal("boom", Str(results[1], "result"));
        Assert.False(Data(results[1]).GetProperty("success").GetBoolean());
    }

    [Fact]
    public void Tool_outputs_in_other_shapes()
    {
        var text = FunctionCall("2025-10-05T10:00:05Z", "c1", "exec_command", "not json {")
            + FunctionOutput("2025-10-05T10:00:06Z", "c1", "Chunk ID: 1\nWall time: 0.1 seconds\nProcess exited with code 2\nOutput:\nerr")
            + FunctionOutput("2025-10-05T10:00:07Z", "c9", "Exit code: 0\nWall time: 1s\nOutput:\nok")
            + FunctionOutput("2025-10-05T10:00:08Z", "c8", new Dictionary<string, object> { ["content"] = "object output", ["success"] = true })
            + FunctionOutput("2025-10-05T10:00:09Z", "c7", "plain text, no exit code")
            + FunctionOutput("2025-10-05T10:00:09.5Z", "c5", """{"output":"odd","metadata":{"exit_code":"zero"}}""")
            + Line("2025-10-05T10:00:10Z", "response_item", new Dictionary<string, object> { ["type"] = "custom_tool_call", ["status"] = "completed", ["call_id"] = "c6", ["name"] = "apply_patch", ["input"] = "*** Begin Patch" })
            + Line("2025-10-05T10:00:11Z", "response_item", new Dictionary<string, object> { ["type"] = "custom_tool_call_output", ["call_id"] = "c6", ["output"] = """{"output":"Success.","metadata":{"exit_code":0}}""" })
            + FunctionCall("2025-10-05T10:00:12Z", "", "shell", "{}")
            + Line("2025-10-05T10:00:13Z", "response_item", new Dictionary<string, object> { ["type"] = "web_search_call", ["status"] = "completed" });
        var (summary, sink) = Parse(text);
        Assert.Equal(0, summary.MalformedLines);

        var calls = sink.OfType("tool_call").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("not json {", Data(calls[0]).GetProperty("parameters").GetString());
        Assert.Equal("apply_patch", Str(calls[1], "tool_name"));
        Assert.Equal("*** Begin Patch", Data(calls[1]).GetProperty("parameters").GetProperty("input").GetString());

        var results = sink.OfType("tool_result").ToDictionary(r => Str(r, "tool_use_id")!);
        Assert.Equal(6, results.Count);
        Assert.Equal("odd", Str(results["c5"], "result"));
        Assert.False(Data(results["c5"]).TryGetProperty("success", out _));
        Assert.Equal("exec_command", Str(results["c1"], "tool_name"));
        Assert.False(Data(results["c1"]).GetProperty("success").GetBoolean());
        Assert.True(Data(results["c9"]).GetProperty("success").GetBoolean());
        Assert.Null(Str(results["c9"], "tool_name")); // its call is not in this read
        Assert.Equal("object output", Str(results["c8"], "result"));
        Assert.True(Data(results["c8"]).GetProperty("success").GetBoolean());
        Assert.False(Data(results["c7"]).TryGetProperty("success", out _));
        Assert.Equal("Success.", Str(results["c6"], "result"));
        Assert.Equal("apply_patch", Str(results["c6"], "tool_name"));
        Assert.True(Data(results["c6"]).GetProperty("success").GetBoolean());
    }

    [Fact]
    public void Hostile_lines_are_skipped_and_counted()
    {
        var bytes = new List<byte>();
        void Add(string s) => bytes.AddRange(Encoding.UTF8.GetBytes(s));
        Add("\uFEFF" + Meta().TrimEnd('\n') + "\r\n");                  // BOM + CRLF
        Add("this is not json\n");                                      // malformed
        Add("{\"timestamp\":\"2025-10-05T10:00:01Z\",\"type\":\"event_msg\"\n"); // truncated object
        Add("[1,2,3]\n");                                               // not an object
        Add("\"just a string\"\n");                                     // not an object
        Add("\n   \n");                                                 // blank lines
        Add("{}\n");                                                    // empty object
        Add("{\"type\":\"mystery\",\"payload\":{\"x\":1}}\n");          // unknown type
        Add("{\"type\":\"event_msg\",\"payload\":\"oops\"}\n");         // payload not an object
        Add("{\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\",\"message\":42}}\n"); // wrong field type
        Add("{\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":null}}\n");  // rate-limit-only
        Add("{\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":{\"last_token_usage\":\"x\"}}}\n");
        Add("{\"timestamp\":\"not a time\",\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\",\"message\":\"lone \\ud800 surrogate and \\u0000 nul\"}}\n");
        bytes.AddRange([.. Encoding.UTF8.GetBytes("{\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\",\"message\":\"bad "), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}}\n")]);
        Add(UserMessage("2025-10-05T10:00:02Z", "line\u2028separator\u2029 and emoji 🎉 and 日本語"));
        Add(UserMessage("2025-10-05T10:00:03Z", new string('x', 300_000)));  // long line
        Add("\0\0\0\n");

        var (summary, sink) = Parse(bytes.ToArray());
        Assert.Equal(bytes.Count, summary.EndOffset);
        Assert.Equal(16, summary.Lines); // blank lines are not counted
        Assert.Equal(5, summary.MalformedLines); // text, truncated, array, string, NULs
        Assert.InRange(summary.Warnings.Count, 1, CodexLogParser.MaxWarnings);

        var messages = sink.OfType("message").ToList();
        Assert.Equal(4, messages.Count);
        Assert.Equal("lone \uFFFD surrogate and \uFFFD nul", Str(messages[0], "content"));
        Assert.Equal(DateTimeOffset.Parse("2025-10-05T10:00:00Z"), messages[0].EmittedAt); // falls back to the last good timestamp
        Assert.Equal("bad \uFFFD\uFFFD", Str(messages[1], "content")); // invalid UTF-8 is replaced, not fatal
        Assert.Equal("line\u2028separator\u2029 and emoji 🎉 and 日本語", Str(messages[2], "content"));
        Assert.Equal(300_000, Str(messages[3], "content")!.Length);
        Assert.Single(sink.OfType("session_start"));
        Assert.Empty(sink.Usage);
    }

    [Fact]
    public void Partial_last_line_is_left_for_the_next_read()
    {
        var full = Encoding.UTF8.GetBytes(Conversation());
        var cut = full.Length - 20; // inside the last line
        var (first, firstSink) = Parse(full[..cut]);
        var lastLineStart = Array.LastIndexOf(full, (byte)'\n', full.Length - 2) + 1;
        Assert.Equal(lastLineStart, first.EndOffset);
        Assert.Equal(14, first.Lines);
        Assert.Equal(0, first.MalformedLines);

        var (second, secondSink) = Parse(full, first.EndOffset);
        Assert.Equal(full.Length, second.EndOffset);
        Assert.Equal(1, second.Lines);
        var (_, whole) = Parse(full);
        var incremental = firstSink.Events.Concat(secondSink.Events).Select(e => e.Event).ToList();
        Assert.Equal(whole.Events.Select(e => (e.Event.Type, e.Event.EmittedAt, e.Event.EventHash)), incremental.Select(e => (e.Type, e.EmittedAt, e.EventHash)));
        Assert.Equal(whole.Events.Take(whole.Events.Count - 1).Select(e => e.Event), incremental.Take(incremental.Count - 1));
        Assert.Equal(SessionId, Assert.Single(secondSink.Events).Session.SessionId);
        Assert.Equal("gpt-5-codex", Str(whole.Events[^1].Event, "model"));
        Assert.Null(Str(secondSink.Events[0].Event, "model")); // turn_context was in the earlier read
    }

    [Fact]
    public void Empty_stream_and_no_newline_consume_nothing()
    {
        var (empty, _) = Parse("");
        Assert.Equal(0, empty.EndOffset);
        Assert.Equal(0, empty.Lines);
        var partial = Meta().TrimEnd('\n');
        var (summary, sink) = Parse(partial);
        Assert.Equal(0, summary.EndOffset);
        Assert.Empty(sink.Events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Chunked_reads_give_the_same_result(int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes(Conversation() + UserMessage("2025-10-05T10:01:00Z", new string('y', 200_000)) + "{partial");
        var (expected, expectedSink) = Parse(bytes);
        var sink = new CodexRecordingSink();
        using var stream = new CodexTrickleStream(bytes, chunk);
        var summary = new CodexLogParser().Parse(stream, new ParseRequest(LogPath), sink);
        Assert.Equal(expected.EndOffset, summary.EndOffset);
        Assert.Equal(bytes.Length - "{partial".Length, summary.EndOffset);
        Assert.Equal(expectedSink.Events.Select(e => e.Event), sink.Events.Select(e => e.Event));
    }

    [Fact]
    public void Event_hashes_are_deterministic_and_stable_under_appends()
    {
        var text = Conversation();
        var (_, a) = Parse(text);
        var (_, b) = Parse(text);
        Assert.Equal(a.Events.Select(e => e.Event.EventHash), b.Events.Select(e => e.Event.EventHash));
        Assert.All(a.Events, e => Assert.Equal(EventHash.Length, e.Event.EventHash.Length));
        Assert.Equal(a.Events.Count, a.Events.Select(e => e.Event.EventHash).Distinct().Count());

        var appended = text
            + TurnContext("2025-10-05T10:01:00Z", "gpt-5")
            + UserMessage("2025-10-05T10:01:01Z", "More")
            + ResponseMessage("2025-10-05T10:01:02Z", "assistant", "Sure");
        var (_, c) = Parse(appended);
        Assert.Equal(a.Events.Count + 2, c.Events.Count);
        Assert.Equal(a.Events.Select(e => e.Event.EventHash), c.Events.Take(a.Events.Count).Select(e => e.Event.EventHash));
        Assert.Equal("gpt-5", Str(c.Events[^1].Event, "model"));

        // The hash is EventHash of (type, emitted_at, data without the context fields model / result tool_name).
        foreach (var (_, e) in c.Events)
        {
            var data = System.Text.Json.Nodes.JsonNode.Parse(e.DataJson)!.AsObject();
            data.Remove("model");
            if (e.Type == "tool_result")
            {
                data.Remove("tool_name");
            }

            using var doc = JsonDocument.Parse(data.ToJsonString());
            Assert.Equal(EventHash.Compute(e.Type, e.EmittedAt, doc.RootElement), e.EventHash);
        }
    }

    [Fact]
    public void Events_pass_protocol_required_fields()
    {
        var (_, sink) = Parse(Conversation());
        foreach (var (_, e) in sink.Events)
        {
            Assert.True(WireName.TryParse<EventType>(e.Type, out _));
            var data = Data(e);
            switch (e.Type)
            {
                case "session_start":
                    Assert.False(string.IsNullOrEmpty(data.GetProperty("agent_type").GetString()));
                    break;
                case "message":
                    Assert.True(AuthorRoles.TryParse(data.GetProperty("author_role").GetString(), out _));
                    Assert.True(WireName.TryParse<MessageType>(data.GetProperty("message_type").GetString(), out _));
                    break;
                case "tool_call":
                    Assert.False(string.IsNullOrEmpty(data.GetProperty("tool_name").GetString()));
                    Assert.False(string.IsNullOrEmpty(data.GetProperty("tool_use_id").GetString()));
                    break;
                case "tool_result":
                    Assert.False(string.IsNullOrEmpty(data.GetProperty("tool_use_id").GetString()));
                    break;
            }
        }
    }
}
