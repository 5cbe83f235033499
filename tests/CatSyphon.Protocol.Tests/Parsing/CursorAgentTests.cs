using CatSyphon.Protocol.Parsing.Cursor;
using static CatSyphon.Protocol.Tests.Parsing.CursorTestFolder;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>
/// Cursor's agent outside the IDE databases, from files built here as the formats doc describes them: the cursor-agent
/// CLI's <c>store.db</c> (§2.5) and the agent transcripts (§2.6); and the format's paths, folders and uploads.
/// </summary>
public sealed class CursorAgentTests : IDisposable
{
    private const string ChatId = "8f1d2c3b-1111-4222-8333-944455566677";
    private const string TranscriptId = "0d6a5b4c-aaaa-4bbb-8ccc-0123456789ab";

    private readonly CursorTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_cli_chat_gives_its_messages_tool_calls_and_results_in_the_order_written()
    {
        var path = AgentStore();

        var (summary, sink) = Parse(path);

        Assert.Equal(0, summary.MalformedLines);
        Assert.Equal(4, summary.EndOffset); // the highest blob rowid read
        Assert.All(sink.Events, e => Assert.Equal(ChatId, e.Session.SessionId));
        Assert.Equal(["session_start", "message", "message", "thinking", "message", "tool_call", "tool_result"], sink.Events.Select(e => e.Event.Type));
        var start = sink.Events[0].Event;
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767396459642), start.EmittedAt);
        Assert.Equal("auto-run", Data(start).GetProperty("kind").GetString());
        Assert.Equal("fix the build", Data(sink.Events[2].Event).GetProperty("content").GetString());
        var reply = Data(sink.Events[4].Event);
        Assert.Equal("claude-4.5-opus-high-thinking", reply.GetProperty("model").GetString());
        var call = Data(sink.Events[5].Event);
        Assert.Equal(("edit_file", "tc1", "src/build.ts"),
            (call.GetProperty("tool_name").GetString(), call.GetProperty("tool_use_id").GetString(), call.GetProperty("file_change").GetProperty("path").GetString()));
        Assert.Equal("tc1", Data(sink.Events[6].Event).GetProperty("tool_use_id").GetString());

        var (again, nothing) = Parse(path, summary.EndOffset);
        Assert.Equal(4, again.EndOffset);
        Assert.Empty(nothing.Events); // no new blob: not read again
    }

    [Fact]
    public void A_cli_chat_without_its_tables_or_with_bad_meta_is_a_warning()
    {
        var bare = folder.Database($"chats/abc/{ChatId}/store.db", "CREATE TABLE other (x INTEGER);");
        Assert.Equal(1, Parse(bare).Summary.MalformedLines);

        var badMeta = folder.Database($"chats/def/{ChatId}/store.db", "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",
            "CREATE TABLE blobs (id TEXT PRIMARY KEY, data BLOB);", "INSERT INTO meta VALUES ('0', 'zz-not-hex');");
        var (summary, sink) = Parse(badMeta);
        Assert.Equal(1, summary.MalformedLines);
        Assert.Equal(ChatId, Assert.Single(sink.Events).Session.SessionId); // the folder names the chat
    }

    [Fact]
    public void A_transcript_gives_its_prompts_replies_and_tool_calls_dated_by_the_embedded_time()
    {
        var text = Transcript();
        var (summary, sink) = ParseTranscript(text);

        Assert.Equal(Encoding.UTF8.GetByteCount(text), summary.EndOffset);
        Assert.All(sink.Events, e => Assert.Equal(TranscriptId, e.Session.SessionId));
        Assert.Equal(["session_start", "message", "message", "tool_call", "tool_result", "message"], sink.Events.Select(e => e.Event.Type));
        // "Friday, May 8, 2026, 6:05 AM (UTC+5:30)" is 00:35 UTC.
        Assert.Equal(DateTimeOffset.Parse("2026-05-08T00:35:00Z"), sink.Events[1].Event.EmittedAt);
        Assert.Equal("Shell", Data(sink.Events[3].Event).GetProperty("tool_name").GetString());
    }

    [Fact]
    public void A_transcript_is_read_incrementally_up_to_its_last_complete_line_with_the_same_hashes()
    {
        var text = Transcript();
        var (_, whole) = ParseTranscript(text);
        var cut = text.IndexOf("{\"role\":\"assistant\"", StringComparison.Ordinal);
        var partial = text[..(cut + 20)]; // the assistant's line is still being written

        var (first, head) = ParseTranscript(partial);
        Assert.Equal(cut, first.EndOffset);
        var (second, tail) = ParseTranscript(text, first.EndOffset);

        Assert.Equal(text.Length, second.EndOffset);
        Assert.Equal(whole.Events.Select(e => e.Event.EventHash), head.Events.Concat(tail.Events).Select(e => e.Event.EventHash));
        Assert.DoesNotContain(tail.Events, e => e.Event.Type == "session_start");
    }

    [Fact]
    public void A_transcript_line_that_is_not_a_record_is_a_warning()
    {
        var (summary, sink) = ParseTranscript("{broken\n[1,2]\n{\"role\":5}\n{\"role\":\"user\",\"message\":{\"content\":\"plain\"}}\n");

        Assert.Equal(3, summary.MalformedLines);
        Assert.Equal("plain", Assert.Single(Messages(sink, "human")).GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(AgentPlatform.Linux, "/home/u", "/home/u/.config/Cursor/User", "/home/u/.cursor/chats", "/home/u/.cursor/projects")]
    [InlineData(AgentPlatform.MacOS, "/Users/u", "/Users/u/Library/Application Support/Cursor/User", "/Users/u/.cursor/chats", "/Users/u/.cursor/projects")]
    [InlineData(AgentPlatform.Windows, @"C:\Users\u", @"C:\Users\u\AppData\Roaming\Cursor\User", @"C:\Users\u\.cursor\chats", @"C:\Users\u\.cursor\projects")]
    public void Default_folders_are_the_ides_user_folder_and_the_clis_on_each_os(AgentPlatform platform, string home, string ide, string chats, string transcripts)
    {
        var host = new AgentHost(platform, home, _ => null);

        Assert.Equal([ide, chats, transcripts], AgentFormatRegistry.Default.DefaultFolders(host).TakeLast(3));
        Assert.Equal(@"D:\Roaming\Cursor\User", new CursorFormat().DefaultFolders(host with { Platform = AgentPlatform.Windows, Environment = name => name == "APPDATA" ? @"D:\Roaming" : null })[0]);
    }

    [Theory]
    [InlineData("state.vscdb", "/upload/Cursor/User/workspaceStorage/upload/state.vscdb")]
    [InlineData("store.db", "/upload/.cursor/chats/upload/upload/store.db")]
    public async Task A_database_upload_is_claimed_by_its_sqlite_header_and_read_from_the_uploaded_file(string fileName, string layout)
    {
        var uploaded = Path.Combine(folder.Root, "upload-1234.tmp");
        File.Copy(fileName == "store.db" ? AgentStore() : folder.RealWorkspaceDatabase(), uploaded);

        var format = await AgentFormatRegistry.Default.ForUploadAsync(fileName, uploaded, CancellationToken.None);

        Assert.IsType<CursorFormat>(format);
        Assert.Equal(layout, format!.UploadPath(fileName, DateTimeOffset.UtcNow));
        Assert.True(format.Recognizes(layout));
        var sink = new CodexRecordingSink();
        using (var stream = File.OpenRead(uploaded))
        {
            format.Parser.Parse(stream, new ParseRequest(layout), sink); // as the API does: the layout path, the uploaded file's stream
        }

        Assert.NotEmpty(sink.OfType("message"));
    }

    [Fact]
    public async Task A_transcript_upload_is_claimed_by_its_first_line()
    {
        var uploaded = Path.Combine(folder.Root, "t.tmp");
        File.WriteAllText(uploaded, Transcript());

        var format = await AgentFormatRegistry.Default.ForUploadAsync(TranscriptId + ".jsonl", uploaded, CancellationToken.None);

        Assert.IsType<CursorTranscriptFormat>(format);
        Assert.Same(format, AgentFormatRegistry.Default.For(format!.UploadPath(TranscriptId + ".jsonl", DateTimeOffset.UtcNow)));
    }

    private string AgentStore()
    {
        var meta = Convert.ToHexString(Encoding.UTF8.GetBytes(
            $$"""{"agentId":"{{ChatId}}","latestRootBlobId":"ab","name":"New Agent","mode":"auto-run","createdAt":1767396459642,"lastUsedModel":"claude-4.5-opus-high-thinking"}"""));
        return folder.Database($"chats/0123456789abcdef0123456789abcdef/{ChatId}/store.db",
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",
            "CREATE TABLE blobs (id TEXT PRIMARY KEY, data BLOB);",
            $"INSERT INTO meta VALUES ('0', '{meta}');",
            """INSERT INTO blobs VALUES ('b1', CAST('{"role":"user","content":[{"type":"text","text":"fix the build"}]}' AS BLOB));""",
            "INSERT INTO blobs VALUES ('b2', x'0a20ab12cd');", // a protobuf node of the tree
            """INSERT INTO blobs VALUES ('b3', CAST('{"role":"assistant","content":[{"type":"reasoning","text":"check tsc"},{"type":"text","text":"Fixing it."},{"type":"tool-call","toolCallId":"tc1","toolName":"edit_file","args":{"target_file":"src/build.ts"}}],"providerOptions":{"cursor":{"modelName":"claude-4.5-opus-high-thinking"}}}' AS BLOB));""",
            """INSERT INTO blobs VALUES ('b4', CAST('{"role":"tool","content":[{"type":"tool-result","toolCallId":"tc1","toolName":"edit_file","result":"ok"}]}' AS BLOB));""");
    }

    private static string Transcript() =>
        """{"role":"user","message":{"content":[{"type":"text","text":"<timestamp>Friday, May 8, 2026, 6:05 AM (UTC+5:30)</timestamp>\n<user_query>\nadd a health check endpoint\n</user_query>"}]}}""" + "\n"
        + """{"role":"assistant","message":{"content":[{"type":"text","text":"Adding it."},{"type":"tool_use","name":"Shell","input":{"command":"npm test"}}]}}""" + "\n"
        + """{"role":"user","message":{"content":[{"type":"tool_result","tool_use_id":"x","content":"ok"}]}}""" + "\n"
        + """{"role":"assistant","message":{"content":[{"type":"text","text":"Done."}]}}""" + "\n";

    private static (ParseSummary Summary, CodexRecordingSink Sink) ParseTranscript(string text, long start = 0)
    {
        var sink = new CodexRecordingSink();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        stream.Position = start;
        var path = $"/home/u/.cursor/projects/home-u-app/agent-transcripts/{TranscriptId}/{TranscriptId}.jsonl";
        return (new CursorTranscriptParser().Parse(stream, new ParseRequest(path, start), sink), sink);
    }
}
