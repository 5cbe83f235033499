using static CatSyphon.Protocol.Tests.Parsing.ClaudeTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

public class ClaudeCodeLogParserTests
{
    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    [Theory]
    [InlineData("/h/.claude/projects/-p/" + Session + ".jsonl", true)]
    [InlineData("/h/.claude/projects/-p/agent-a1b2c3.jsonl", true)]
    [InlineData("/h/.claude/projects/-p/" + Session + "/subagents/agent-a1b2c3.jsonl", true)]
    [InlineData(@"C:\Users\u\.claude\projects\-p\" + Session + ".jsonl", true)]
    [InlineData("/h/.claude/projects/-p/" + Session + ".json", false)]
    [InlineData("/h/.claude/projects/" + Session + ".jsonl", false)]
    [InlineData("/h/.codex/sessions/2026/01/01/rollout-x.jsonl", false)]
    [InlineData("/h/.claude/projects/-p/x/y/z.jsonl", false)]
    public void Claude_format_recognises_claude_layouts(string path, bool expected) =>
        Assert.Equal(expected, new ClaudeCodeFormat().Recognizes(path));

    [Fact]
    public void Session_start_is_emitted_once_from_the_first_session_line()
    {
        var r = Parse(Jsonl(User("\"hello\""), User("\"again\"", "u2")));
        var start = r.Single("session_start");
        Assert.Equal("claude-code", S(start, "agent_type"));
        Assert.Equal("2.1.39", S(start, "agent_version"));
        Assert.Equal("/home/u/proj", S(start, "working_directory"));
        Assert.Equal("main", S(start, "git_branch"));
        Assert.Equal("brave-cat", S(start, "slug"));
        Assert.False(start.TryGetProperty("parent_session_id", out _));
        Assert.All(r.Events, e => Assert.Equal(new ParsedSessionRef(Session, null), e.Session));
        Assert.Equal("session_start", r.Events[0].Event.Type);
    }

    [Fact]
    public void User_text_is_a_human_prompt()
    {
        var r = Parse(Jsonl(User("\"fix the bug\""), User("""[{"type":"text","text":"block text"}]""", "u2")));
        var prompts = r.Data("message").ToList();
        Assert.Equal(2, prompts.Count);
        Assert.All(prompts, p => Assert.Equal(("human", "prompt"), (S(p, "author_role"), S(p, "message_type"))));
        Assert.Equal("fix the bug", S(prompts[0], "content"));
        Assert.Equal("block text", S(prompts[1], "content"));
        Assert.Equal("u1", S(prompts[0], "uuid"));
        Assert.Equal(DateTimeOffset.Parse("2026-01-05T10:00:00Z"), r.Events[1].Event.EmittedAt);
    }

    [Fact]
    public void Tool_use_is_matched_by_tool_results_and_result_only_lines_are_not_prompts()
    {
        var r = Parse(Jsonl(
            User("\"run it\""),
            Assistant("""[{"type":"tool_use","id":"toolu_ok","name":"Bash","input":{"command":"ls"}},{"type":"tool_use","id":"toolu_bad","name":"Read","input":{"file_path":"/x"}}]"""),
            User("""[{"tool_use_id":"toolu_ok","type":"tool_result","content":"a.txt\nb.txt","is_error":false}]""", "u2",
                extra: ""","toolUseResult":{"stdout":"a.txt"}"""),
            User("""[{"tool_use_id":"toolu_bad","type":"tool_result","content":[{"type":"text","text":"File does not exist."}],"is_error":true}]""", "u3")));

        Assert.Single(r.Data("message")); // only "run it"
        var calls = r.Data("tool_call").ToList();
        Assert.Equal(["toolu_ok", "toolu_bad"], calls.Select(c => S(c, "tool_use_id")));
        Assert.Equal("Bash", S(calls[0], "tool_name"));
        Assert.Equal("ls", calls[0].GetProperty("parameters").GetProperty("command").GetString());

        var results = r.Data("tool_result").ToList();
        Assert.Equal(["toolu_ok", "toolu_bad"], results.Select(c => S(c, "tool_use_id")));
        Assert.True(results[0].GetProperty("success").GetBoolean());
        Assert.Equal("a.txt\nb.txt", S(results[0], "result"));
        Assert.False(results[0].TryGetProperty("error_message", out _));
        Assert.False(results[1].GetProperty("success").GetBoolean());
        Assert.Equal("File does not exist.", S(results[1], "error_message"));
    }

    [Fact]
    public void Assistant_lines_give_response_thinking_and_ids()
    {
        var r = Parse(Jsonl(
            Assistant("""[{"type":"thinking","thinking":"let me think","signature":"sig=="}]""", uuid: "a1"),
            Assistant("""[{"type":"text","text":"Done."}]""", uuid: "a2")));
        var thinking = r.Single("thinking");
        Assert.Equal("let me think", S(thinking, "content"));
        Assert.False(thinking.TryGetProperty("signature", out _));

        var response = r.Single("message");
        Assert.Equal(("assistant", "response"), (S(response, "author_role"), S(response, "message_type")));
        Assert.Equal("Done.", S(response, "content"));
        Assert.Equal("claude-opus-4-6", S(response, "model"));
        Assert.Equal("end_turn", S(response, "stop_reason"));
        Assert.Equal("msg_1", S(response, "api_message_id"));
        Assert.Equal("req_1", S(response, "request_id"));
        Assert.Equal("a2", S(response, "uuid"));
        Assert.Equal("u1", S(response, "parent_uuid"));
        var usage = response.GetProperty("token_usage");
        Assert.Equal(3, usage.GetProperty("input_tokens").GetInt64());
        Assert.Equal(10, usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(100, usage.GetProperty("cache_creation_input_tokens").GetInt64());
        Assert.Equal(1000, usage.GetProperty("cache_read_input_tokens").GetInt64());
    }

    [Fact]
    public void Summary_compaction_system_and_other_records()
    {
        var r = Parse(Jsonl(
            """{"type":"summary","summary":"Repo setup","leafUuid":"leaf-1"}""",
            User("\"hi\""),
            $$$"""{"parentUuid":null,"logicalParentUuid":"x","isSidechain":false,"sessionId":"{{{Session}}}","version":"2.1.39","type":"system","subtype":"compact_boundary","content":"Conversation compacted","isMeta":false,"timestamp":"2026-01-05T11:00:00Z","uuid":"cb1","level":"info","compactMetadata":{"trigger":"auto","preTokens":167117}}""",
            User("\"This session is being continued from a previous conversation.\"", "u9", extra: ""","isCompactSummary":true,"isVisibleInTranscriptOnly":true"""),
            User("\"<local-command-caveat>x</local-command-caveat>\"", "u10", extra: ""","isMeta":true"""),
            $$"""{"parentUuid":"u1","isSidechain":false,"sessionId":"{{Session}}","type":"progress","data":{"type":"hook_progress"},"timestamp":"2026-01-05T11:00:01Z","uuid":"p1"}""",
            """{"type":"file-history-snapshot","messageId":"m1","snapshot":{"trackedFileBackups":{}},"isSnapshotUpdate":false}""",
            $$"""{"type":"queue-operation","operation":"enqueue","timestamp":"2026-01-05T11:00:02Z","sessionId":"{{Session}}","content":"next"}"""));

        Assert.Equal(0, r.Summary.MalformedLines);
        Assert.Equal(8, r.Summary.Lines);
        var messages = r.Data("message").ToList();
        Assert.Equal(
            [("system", "summary", "Repo setup"), ("human", "prompt", "hi"), ("system", "summary", "This session is being continued from a previous conversation."), ("system", "context", "<local-command-caveat>x</local-command-caveat>")],
            messages.Select(m => (S(m, "author_role"), S(m, "message_type"), S(m, "content"))));
        var metadata = r.Data("metadata").ToList();
        Assert.Equal(["compact_boundary", "queue-operation"], metadata.Select(m => S(m, "kind")));
        Assert.Equal(167117, metadata[0].GetProperty("compactMetadata").GetProperty("preTokens").GetInt64());
        Assert.Equal("next", metadata[1].GetProperty("raw").GetProperty("content").GetString());
        // The summary line has no timestamp: it is attributed to the path's session, hashed with the epoch.
        Assert.Equal(Session, r.Events[0].Session.SessionId);
    }

    [Fact]
    public void A_leading_summary_takes_the_first_timestamp_after_it_and_keeps_its_hash()
    {
        const string summaryLine = """{"type":"summary","summary":"Repo setup","leafUuid":"leaf-1"}""";
        var alone = Parse(Jsonl(summaryLine));
        var followed = Parse(Jsonl(summaryLine, User("\"hi\"", ts: "2026-01-05T10:00:07.000Z"), User("\"more\"", "u2", ts: "2026-01-05T10:09:00.000Z")));

        // Alone, nothing follows: the epoch, as before (the collector reports it as out of range).
        Assert.Equal(DateTimeOffset.UnixEpoch, alone.Events.Single().Event.EmittedAt);
        // Still the first message: held events keep the file's order.
        var summary = followed.Events.First(e => e.Event.Type == "message");
        Assert.Equal("Repo setup", S(JsonDocument.Parse(summary.Event.Data).RootElement, "content"));
        Assert.Equal(DateTimeOffset.Parse("2026-01-05T10:00:07Z"), summary.Event.EmittedAt);
        Assert.Equal(alone.Events.Single().Event.EventHash, summary.Event.EventHash);
    }

    [Fact]
    public void Nested_sub_agent_file_links_to_the_folder_session()
    {
        var path = $"/h/.claude/projects/-p/{Session}/subagents/agent-a1b2c3.jsonl";
        var r = Parse(Jsonl(
            User("\"search hex.pm\"", extra: ""","agentId":"a1b2c3" """.TrimEnd()).Replace("\"isSidechain\":false", "\"isSidechain\":true"),
            Assistant("""[{"type":"text","text":"found"}]""", sidechain: true)), path);
        var expected = new ParsedSessionRef($"{Session}:agent-a1b2c3", Session);
        Assert.All(r.Events, e => Assert.Equal(expected, e.Session));
        Assert.Equal(Session, S(r.Single("session_start"), "parent_session_id"));
        var prompt = r.Data("message").First();
        Assert.Equal(("caller", "prompt"), (S(prompt, "author_role"), S(prompt, "message_type")));
        Assert.True(Assert.Single(r.Usage).FromSubAgent);
        Assert.Equal(Session, r.Usage[0].SessionId);
    }

    [Fact]
    public void Flat_sub_agent_file_links_to_the_session_of_its_lines()
    {
        var r = Parse(Jsonl(
            User("\"task\"").Replace("\"isSidechain\":false", "\"isSidechain\":true"),
            Assistant("""[{"type":"text","text":"ok"}]""", sidechain: true)), "/h/.claude/projects/-p/agent-zz9.jsonl");
        var expected = new ParsedSessionRef($"{Session}:agent-zz9", Session);
        Assert.All(r.Events, e => Assert.Equal(expected, e.Session));
        Assert.Equal(Session, S(r.Single("session_start"), "parent_session_id"));
    }

    [Fact]
    public void Inline_sidechain_lines_stay_in_the_main_session_marked()
    {
        var r = Parse(Jsonl(User("\"main\""), User("\"sub task\"", "u2").Replace("\"isSidechain\":false", "\"isSidechain\":true")));
        var messages = r.Data("message").ToList();
        Assert.Equal("human", S(messages[0], "author_role"));
        Assert.Equal("caller", S(messages[1], "author_role"));
        Assert.True(messages[1].GetProperty("is_sidechain").GetBoolean());
        Assert.All(r.Events, e => Assert.Equal(Session, e.Session.SessionId));
    }

    [Fact]
    public void Hostile_lines_are_skipped_and_counted()
    {
        var huge = User(JsonSerializer.Serialize(new string('x', 10 * 1024 * 1024)), "big");
        var text = Jsonl(
            "not json at all",
            "[1,2,3]",
            "{\"type\":\"user\",",
            "",
            huge,
            User("\"nul \\u0000 lone \\ud800 bidi \u202e emoji \U0001F600 sep \u2028 end\"", "odd"),
            User("\"after\"", "u3"));
        var bytes = Encoding.UTF8.GetBytes(text).Concat(Encoding.UTF8.GetBytes(User("\"bad utf8 \"", "u4"))).ToList();
        // A line with a raw NUL and invalid UTF-8 bytes inside a string.
        var badLine = Encoding.UTF8.GetBytes(User("\"A\"", "u5")).ToList();
        badLine.InsertRange(badLine.IndexOf((byte)'A'), new byte[] { 0xC3, 0x28, 0x00 });
        bytes.Add((byte)'\n');
        bytes.AddRange(badLine);
        bytes.Add((byte)'\n');

        var r = Parse(bytes.ToArray());
        Assert.Equal(9, r.Summary.Lines);
        Assert.Equal(4, r.Summary.MalformedLines); // not JSON, array, truncated object, raw NUL/invalid UTF-8
        Assert.NotEmpty(r.Summary.Warnings);
        Assert.Equal(bytes.Count, r.Summary.EndOffset);
        var contents = r.Data("message").Select(m => S(m, "content")).ToList();
        Assert.Equal(4, contents.Count);
        Assert.Equal(10 * 1024 * 1024, contents[0].Length);
        Assert.Equal("nul \uFFFD lone \uFFFD bidi \u202e emoji \U0001F600 sep \u2028 end", contents[1]);
        Assert.Equal("after", contents[2]);
        Assert.All(r.Events, e => TestJson.AssertAllStringsReadable(e.Event.DataJson));
    }

    [Fact]
    public void Partial_last_line_is_left_for_the_next_call()
    {
        var first = Jsonl(User("\"one\""), Assistant("""[{"type":"text","text":"two"}]"""));
        var partial = User("\"three\"", "u3");
        var r1 = Parse(first + partial[..40]);
        Assert.Equal(Encoding.UTF8.GetByteCount(first), r1.Summary.EndOffset);
        Assert.Equal(2, r1.Summary.Lines);
        Assert.Equal(0, r1.Summary.MalformedLines);

        // Still incomplete (no '\n'), even when the JSON itself is whole.
        var r2 = Parse(first + partial, start: r1.Summary.EndOffset);
        Assert.Equal(r1.Summary.EndOffset, r2.Summary.EndOffset);
        Assert.Empty(r2.Events);

        var full = first + partial + "\n";
        var r3 = Parse(full, start: r1.Summary.EndOffset);
        Assert.Equal(Encoding.UTF8.GetByteCount(full), r3.Summary.EndOffset);
        Assert.Equal("three", S(r3.Single("message"), "content"));
        Assert.Empty(r3.Data("session_start")); // only the call from offset 0 starts the session

        // Incremental parsing gives exactly the events (and hashes) of one full parse.
        var whole = Parse(full);
        Assert.Equal(whole.Events.Select(e => e.Event), r1.Events.Concat(r3.Events).Select(e => e.Event));
    }

    [Fact]
    public void Event_hashes_are_deterministic_and_distinct()
    {
        var text = Jsonl(
            """{"type":"summary","summary":"s","leafUuid":"l"}""",
            User("\"hello\""),
            Assistant("""[{"type":"thinking","thinking":"hm"},{"type":"text","text":"a"},{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"ls"}}]"""),
            User("""[{"tool_use_id":"t1","type":"tool_result","content":"ok"}]""", "u2"));
        var a = Parse(text);
        var b = Parse(text);
        Assert.Equal(a.Events.Select(e => e.Event.EventHash), b.Events.Select(e => e.Event.EventHash));
        Assert.Equal(a.Events.Count, a.Events.Select(e => e.Event.EventHash).Distinct().Count());
        Assert.All(a.Events, e => Assert.Equal(64, e.Event.EventHash.Length));
    }

    [Fact]
    public void File_changes_and_plans_are_derived_from_tool_inputs()
    {
        var r = Parse(Jsonl(Assistant("""
            [{"type":"tool_use","id":"e1","name":"Edit","input":{"file_path":"/p/a.cs","old_string":"x\ny","new_string":"x\ny\nz\n"}},
             {"type":"tool_use","id":"e2","name":"MultiEdit","input":{"file_path":"/p/b.cs","edits":[{"old_string":"a","new_string":"b\nc"},{"old_string":"d\ne\nf","new_string":""}]}},
             {"type":"tool_use","id":"e3","name":"Write","input":{"file_path":"/h/.claude/plans/big-plan.md","content":"# Plan\n1. do\n"}},
             {"type":"tool_use","id":"e4","name":"NotebookEdit","input":{"notebook_path":"/p/n.ipynb","new_source":"print(1)","edit_mode":"insert"}},
             {"type":"tool_use","id":"e5","name":"ExitPlanMode","input":{"plan":"1. refactor"}}]
            """.ReplaceLineEndings(""))));
        var calls = r.Data("tool_call").ToList();
        (string, string, long, long) Change(JsonElement c)
        {
            var f = c.GetProperty("file_change");
            return (S(f, "path"), S(f, "kind"), f.GetProperty("lines_added").GetInt64(), f.GetProperty("lines_deleted").GetInt64());
        }

        Assert.Equal(("/p/a.cs", "edit", 3L, 2L), Change(calls[0]));
        Assert.Equal(("/p/b.cs", "multi_edit", 2L, 4L), Change(calls[1]));
        Assert.Equal(("/h/.claude/plans/big-plan.md", "write", 2L, 0L), Change(calls[2]));
        Assert.Equal("plan_file", S(calls[2].GetProperty("plan"), "source"));
        Assert.Equal("# Plan\n1. do\n", S(calls[2].GetProperty("plan"), "content"));
        Assert.Equal(("/p/n.ipynb", "notebook_edit", 1L, 0L), Change(calls[3]));
        Assert.Equal("1. refactor", S(calls[4].GetProperty("plan"), "content"));
        Assert.False(calls[4].TryGetProperty("file_change", out _));
    }

    [Fact]
    public void Api_error_lines_become_error_events()
    {
        var r = Parse(Jsonl(Assistant("""[{"type":"text","text":"API Error: 529 overloaded"}]""", model: "<synthetic>", extra: ""","isApiErrorMessage":true""")));
        Assert.Equal("API Error: 529 overloaded", S(r.Single("error"), "message"));
        Assert.Empty(r.Data("message"));
    }

    [Fact]
    public void Real_fixture_files_parse_without_errors_and_match_ccusage()
    {
        var root = FixtureRoot();
        var result = new LogTreeScanner(new AgentFormatRegistry([new ClaudeCodeFormat()])).Scan(root);
        Assert.Equal(2, result.Files);
        Assert.Equal(0, result.MalformedLines);
        // ccusage 20.0.24 (`claude daily --json --offline -z UTC`) and expected_totals.py on these two files; every
        // cache write of them went to the 1-hour cache (usage.cache_creation.ephemeral_1h_input_tokens).
        Assert.Equal(new TokenCounts(57, 225, 31_531, 99_746, CacheCreation1hTokens: 31_531), result.Tokens.Totals);
        Assert.Equal(131_559, result.Tokens.Totals.Total);
        Assert.Equal(["2026-02-10"], result.Tokens.ByDay.Keys);
        Assert.Equal(["claude-opus-4-6"], result.Tokens.ByModel.Keys);
        Assert.Equal(14, result.Tokens.UsageRecords);
        Assert.Equal(5, result.Tokens.DistinctResponses);
        Assert.Equal(8, result.EventsByType["tool_result"]);
        Assert.Equal(2, result.EventsByType["session_start"]);
    }

    /// <summary>The copied real Claude Code files (copied next to the test assembly).</summary>
    internal static string FixtureRoot() => Path.Combine(AppContext.BaseDirectory, "Fixtures", "claude");
}
