using static CatSyphon.Protocol.Tests.Parsing.CursorTestFolder;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>
/// The modern layout (formats doc §2.4) from a global <c>state.vscdb</c> built here: composer <c>c1</c> of 5 headers
/// (a prompt; a reply with thinking and tokens; an edit_file call; a failed terminal call with text; a header whose bubble
/// is missing), composer <c>c2</c> still generating, composer <c>old</c> with its conversation inline (old <c>_v</c>), and
/// Cursor's sign-in token in <c>ItemTable</c>, which must never be read.
/// </summary>
public sealed class CursorModernLayoutTests : IDisposable
{
    private const long C1Updated = 1767261660000; // 2026-01-01T10:01:00Z
    private const string Secret = "eyJhbGciOiJIUzI1NiJ9.secret-cursor-token";

    private const int MaxValueBytes = 64 * 1024 * 1024; // the parser's bound on one value

    private readonly CursorTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_composer_gives_its_prompts_replies_thinking_tool_calls_and_tokens()
    {
        var (summary, sink) = Parse(GlobalDatabase());

        Assert.Equal(C1Updated, summary.EndOffset); // c2 is generating: left for later, the mark stays below it
        Assert.Equal(1, summary.MalformedLines); // the header whose bubble is missing
        Assert.Equal(["c1", "old"], sink.Events.Select(e => e.Session.SessionId).Distinct().Order(StringComparer.Ordinal));
        var c1 = sink.Events.Where(e => e.Session.SessionId == "c1").Select(e => e.Event).ToList();
        Assert.Equal(["session_start", "message", "message", "thinking", "message", "tool_call", "tool_result", "message", "tool_call", "tool_result"],
            c1.Select(e => e.Type));
        var start = Data(c1[0]);
        Assert.Equal("/home/dev/app", start.GetProperty("working_directory").GetString());
        Assert.Equal("agent", start.GetProperty("kind").GetString());
        Assert.Equal("Add a health check", Data(c1[1]).GetProperty("content").GetString());

        var prompt = Data(c1[2]);
        Assert.Equal("add a health check endpoint", prompt.GetProperty("content").GetString());
        Assert.Equal("gpt-5", prompt.GetProperty("model").GetString()); // the model the user picked, over modelConfig
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T10:00:00Z"), c1[2].EmittedAt);

        var reply = Data(c1[4]);
        Assert.Equal("I'll add it.", reply.GetProperty("content").GetString());
        Assert.Equal("r1", reply.GetProperty("request_id").GetString());
        Assert.Equal(1200, reply.GetProperty("token_usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767261601000), c1[4].EmittedAt); // timingInfo.clientRpcSendTime
        var usage = Assert.Single(sink.Usage);
        Assert.Equal(("cursor:c1:a1", 1200L, 80L, "gpt-5"), (usage.DedupKey, usage.InputTokens, usage.OutputTokens, usage.Model));

        var edit = Data(c1[5]);
        Assert.Equal(("edit_file", "call_1"), (edit.GetProperty("tool_name").GetString(), edit.GetProperty("tool_use_id").GetString()));
        Assert.Equal("src/health.ts", edit.GetProperty("file_change").GetProperty("path").GetString());
        Assert.Equal("src/health.ts", edit.GetProperty("parameters").GetProperty("target_file").GetString());
        Assert.True(Data(c1[6]).GetProperty("success").GetBoolean());
        Assert.Equal("""{"diff":"+ok"}""", Data(c1[6]).GetProperty("result").GetString());

        var terminal = Data(c1[8]);
        Assert.Equal("not json", terminal.GetProperty("parameters").GetString()); // rawArgs that is not JSON is kept as text
        Assert.False(Data(c1[9]).GetProperty("success").GetBoolean());
        Assert.Equal(2, sink.Events.Count(e => e.Session.SessionId == "old" && e.Event.Type == "message"));
    }

    [Fact]
    public void Cursors_sign_in_tokens_are_never_read()
    {
        var (_, sink) = Parse(GlobalDatabase());

        Assert.DoesNotContain(sink.Events, e => e.Event.DataJson.Contains("secret-cursor-token", StringComparison.Ordinal));
    }

    [Fact]
    public void A_changed_composer_is_read_again_whole_with_the_same_hashes_for_what_it_had()
    {
        var path = GlobalDatabase();
        var (first, before) = Parse(path);
        using (var connection = Writer(path))
        {
            Put(connection, "cursorDiskKV", "bubbleId:c1:u2", """{"_v":3,"type":1,"bubbleId":"u2","text":"now add a test"}""");
            Put(connection, "cursorDiskKV", "bubbleId:c1:a4", """{"_v":3,"type":2,"bubbleId":"a4","text":"Added."}""");
            Put(connection, "cursorDiskKV", "composerData:c1", Composer1(C1Updated + 60_000, """,{"bubbleId":"u2","type":1},{"bubbleId":"a4","type":2}"""));
            Put(connection, "cursorDiskKV", "composerData:c2", """{"composerId":"c2","createdAt":1767261600000,"lastUpdatedAt":1767261700000,"status":"completed","conversation":[{"type":1,"bubbleId":"q","text":"done?"}]}""");
        }

        var (second, after) = Parse(path, first.EndOffset);

        Assert.Equal(C1Updated + 60_000, second.EndOffset);
        Assert.Equal(["c1", "c2"], after.Events.Select(e => e.Session.SessionId).Distinct().Order(StringComparer.Ordinal));
        var hadBefore = before.Events.Where(e => e.Session.SessionId == "c1").Select(e => e.Event.EventHash).ToHashSet();
        var c1 = after.Events.Where(e => e.Session.SessionId == "c1").Select(e => e.Event).ToList();
        Assert.True(hadBefore.IsSubsetOf(c1.Select(e => e.EventHash)));
        Assert.Equal(["now add a test", "Added."], c1.Where(e => !hadBefore.Contains(e.EventHash)).Select(e => Data(e).GetProperty("content").GetString()));
    }

    [Fact]
    public void Headers_are_read_from_the_inline_conversation_map_before_the_bubble_rows()
    {
        var path = folder.Database("map/state.vscdb", KeyValueTables);
        using (var connection = Writer(path))
        {
            Put(connection, "cursorDiskKV", "composerData:m", """
                {"composerId":"m","createdAt":1767261600000,"fullConversationHeadersOnly":[{"bubbleId":"p","type":1},{"bubbleId":"r","type":2}],
                 "conversationMap":{"p":{"type":1,"bubbleId":"p","text":"from the map"}}}
                """);
            Put(connection, "cursorDiskKV", "bubbleId:m:p", """{"type":1,"bubbleId":"p","text":"from the row"}""");
            Put(connection, "cursorDiskKV", "bubbleId:m:r", """{"type":2,"bubbleId":"r","text":"reply"}""");
        }

        var (_, sink) = Parse(path);

        Assert.Equal(["from the map", "reply"], sink.OfType("message").Select(e => Data(e).GetProperty("content").GetString()));
    }

    [Fact]
    public void Hostile_values_are_warnings_never_exceptions()
    {
        var path = folder.Database("hostile/state.vscdb", KeyValueTables);
        using (var connection = Writer(path))
        {
            Put(connection, "cursorDiskKV", "composerData:notjson", "{not json");
            Put(connection, "cursorDiskKV", "composerData:number", "42");
            Put(connection, "cursorDiskKV", "composerData:types", """{"composerId":7,"lastUpdatedAt":"yesterday","fullConversationHeadersOnly":"x"}""");
            Put(connection, "cursorDiskKV", "composerData:deep", new string('[', 5000) + new string(']', 5000));
            Put(connection, "cursorDiskKV", "composerData:odd",
                """{"composerId":"odd","createdAt":1767261600000,"fullConversationHeadersOnly":[{"bubbleId":"b1"},{"bubbleId":5},"x",{"bubbleId":"b2"}]}""");
            Put(connection, "cursorDiskKV", "bubbleId:odd:b1", """{"type":"1","text":{"a":1},"tokenCount":{"inputTokens":-5,"outputTokens":1e30}}""");
            Put(connection, "cursorDiskKV", "bubbleId:odd:b2", """{"type":2,"text":"fine","toolFormerData":{"name":7,"rawArgs":[1,2]},"codeBlocks":[5,{"uri":"x"}]}""");
            Put(connection, "ItemTable", "workbench.panel.aichat.view.aichat.chatdata", """{"tabs":[{"tabId":"t","bubbles":"none"},5,{"tabId":{"x":1}}]}""");
            CursorTestFolder.Execute(connection, "INSERT INTO ItemTable (key, value) VALUES ($k, 12345)", ("$k", "composer.composerData"));
        }

        var (summary, sink) = Parse(path);

        Assert.True(summary.MalformedLines >= 4);
        Assert.NotEmpty(summary.Warnings);
        Assert.Equal(["odd", "t"], sink.Events.Select(e => e.Session.SessionId).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["fine"], Messages(sink, "assistant").Select(m => m.GetProperty("content").GetString()));
        Assert.Empty(sink.Usage);
    }

    [Fact]
    public void A_value_too_large_is_skipped_and_long_text_is_cut()
    {
        var path = folder.Database("large/state.vscdb", KeyValueTables);
        using (var connection = Writer(path))
        {
            CursorTestFolder.Execute(connection, "INSERT INTO cursorDiskKV (key, value) VALUES ('composerData:huge', zeroblob($n))", ("$n", MaxValueBytes + 1));
            var text = new string('x', 300_000);
            Put(connection, "cursorDiskKV", "composerData:long", $$"""{"composerId":"long","createdAt":1767261600000,"conversation":[{"type":1,"bubbleId":"b","text":"{{text}}"}]}""");
        }

        var (summary, sink) = Parse(path);

        Assert.Equal(1, summary.MalformedLines);
        Assert.Contains(summary.Warnings, w => w.Contains("composerData:huge", StringComparison.Ordinal));
        Assert.Equal(256 * 1024, Assert.Single(Messages(sink, "human")).GetProperty("content").GetString()!.Length);
    }

    private string GlobalDatabase()
    {
        var path = folder.Database("globalStorage/state.vscdb", KeyValueTables);
        using var connection = Writer(path);
        Put(connection, "ItemTable", "cursorAuth/accessToken", Secret);
        Put(connection, "ItemTable", "composer.composerData", """{"allComposers":[{"composerId":"c1","name":"Add a health check","createdAt":1767261600000,"lastUpdatedAt":1767261660000}]}""");
        Put(connection, "cursorDiskKV", "composerData:c1", Composer1(C1Updated, ""));
        Put(connection, "cursorDiskKV", "bubbleId:c1:u1", """{"_v":3,"type":1,"bubbleId":"u1","text":"add a health check endpoint","createdAt":"2026-01-01T10:00:00.000Z","modelInfo":{"modelName":"gpt-5"}}""");
        Put(connection, "cursorDiskKV", "bubbleId:c1:a1",
            """{"_v":3,"type":2,"bubbleId":"a1","text":"I'll add it.","thinking":{"text":"Need a route."},"tokenCount":{"inputTokens":1200,"outputTokens":80},"requestId":"r1","timingInfo":{"clientRpcSendTime":1767261601000}}""");
        Put(connection, "cursorDiskKV", "bubbleId:c1:a2",
            """{"_v":3,"type":2,"bubbleId":"a2","text":"","tokenCount":{"inputTokens":0,"outputTokens":0},"toolFormerData":{"name":"edit_file","toolCallId":"call_1","status":"completed","rawArgs":"{\"target_file\":\"src/health.ts\",\"code_edit\":\"return ok\"}","result":"{\"diff\":\"+ok\"}"}}""");
        Put(connection, "cursorDiskKV", "bubbleId:c1:a3",
            """{"_v":3,"type":2,"bubbleId":"a3","text":"The tests failed.","toolFormerData":{"name":"run_terminal_cmd","toolCallId":"call_2","status":"error","rawArgs":"not json","result":"exit 1"}}""");
        Put(connection, "cursorDiskKV", "composerData:c2", """{"_v":10,"composerId":"c2","createdAt":1767261600000,"lastUpdatedAt":1767261690000,"status":"generating","fullConversationHeadersOnly":[]}""");
        Put(connection, "cursorDiskKV", "composerData:old", """{"_v":3,"composerId":"old","createdAt":1767261500000,"conversation":[{"type":1,"bubbleId":"x","text":"hi"},{"type":2,"bubbleId":"y","text":"hello"}]}""");
        return path;
    }

    private static string Composer1(long updated, string moreHeaders) =>
        $$$"""
        {"_v":10,"composerId":"c1","name":"Add a health check","createdAt":1767261600000,"lastUpdatedAt":{{{updated}}},"status":"completed","unifiedMode":"agent",
         "modelConfig":{"modelName":"claude-4.5-sonnet"},"workspaceIdentifier":{"id":"w","uri":{"fsPath":"/home/dev/app"}},
         "fullConversationHeadersOnly":[{"bubbleId":"u1","type":1},{"bubbleId":"a1","type":2},{"bubbleId":"a2","type":2},{"bubbleId":"a3","type":2},{"bubbleId":"missing","type":2}{{{moreHeaders}}}]}
        """;
}
