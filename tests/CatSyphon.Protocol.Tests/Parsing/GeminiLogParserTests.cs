using static CatSyphon.Protocol.Tests.Parsing.GeminiRealLogTests;
using static CatSyphon.Protocol.Tests.Parsing.GeminiTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>The journal's folding, incremental reads and hostile input, on hand-made sessions.</summary>
public sealed class GeminiLogParserTests
{
    [Fact]
    public void A_message_appended_again_keeps_its_place_and_its_last_content()
    {
        var log = Metadata() + User("u1", "01", "first") + Gemini("g1", "02", "draft") + User("u2", "03", "second")
            + Gemini("g1", "02", "final", input: 200, output: 20);

        var (summary, sink) = Parse(log);

        Assert.Equal(5, summary.Lines);
        Assert.Equal("first|final|second", Contents(sink, "message"));
        var usage = Assert.Single(sink.Usage);
        Assert.Equal(($"gemini:{SessionId}:g1", 200L, 20L), (usage.DedupKey, usage.InputTokens, usage.OutputTokens));
    }

    [Fact]
    public void A_checkpoint_replaces_every_message_and_a_rewind_deletes_from_its_message_on()
    {
        var checkpoint = """{"$set":{"lastUpdated":"x","messages":[""" + User("c1", "05", "kept").TrimEnd() + "]}}\n";
        var log = Metadata() + User("u1", "01", "gone") + checkpoint + User("u2", "06", "rewound") + Gemini("g2", "07", "also rewound")
            + """{"$rewindTo":"u2"}""" + "\n" + User("u3", "08", "after");

        var (_, sink) = Parse(log);

        Assert.Equal("kept|after", Contents(sink, "message"));
        Assert.Empty(sink.Usage);
        var rewind = Assert.Single(sink.OfType("metadata"));
        Assert.Equal("u2", Data(rewind).GetProperty("uuid").GetString());
    }

    [Fact]
    public void A_rewind_to_an_unknown_message_clears_every_message()
    {
        var log = Metadata() + User("u1", "01", "one") + Gemini("g1", "02", "two") + """{"$rewindTo":"nope"}""" + "\n" + User("u2", "03", "three");

        Assert.Equal("three", Contents(Parse(log).Sink, "message"));
    }

    [Fact]
    public void A_journal_read_in_two_parts_gives_the_events_and_usage_of_one_read()
    {
        var path = Fixture("session-2026-04-23T12-52-0ab84937.jsonl");
        var bytes = File.ReadAllBytes(path);
        var whole = Parse(bytes, path).Sink;
        var middle = bytes.AsSpan(0, bytes.Length / 2).LastIndexOf((byte)'\n') + 1;

        var (first, firstSink) = Parse(bytes[..middle], path);
        var (second, secondSink) = Parse(bytes, path, middle);

        Assert.Equal(middle, first.EndOffset);
        Assert.Equal(bytes.Length, second.EndOffset);
        // The second read starts past the metadata line: it takes the session id from the file's first line.
        Assert.All(secondSink.Events, e => Assert.Equal("0ab84937-9fe7-4284-986a-33c832af0b6a", e.Session.SessionId));
        var hashes = firstSink.Events.Concat(secondSink.Events).Select(e => e.Event.EventHash).ToHashSet();
        Assert.Superset(hashes, whole.Events.Select(e => e.Event.EventHash).ToHashSet());
        Assert.Equal(Totals(whole.Usage).Totals, Totals(firstSink.Usage.Concat(secondSink.Usage)).Totals);
    }

    [Fact]
    public void A_partial_last_line_is_left_for_the_next_read()
    {
        var complete = Metadata() + User("u1", "01", "done");
        var (summary, sink) = Parse(complete + """{"id":"g1","timestamp":"2026-05-01T09:00:02.000Z","type":"gem""");

        Assert.Equal(Encoding.UTF8.GetByteCount(complete), summary.EndOffset);
        Assert.Equal("done", Contents(sink, "message"));
        Assert.Equal(0, summary.MalformedLines);
    }

    [Fact]
    public void A_legacy_document_not_complete_yet_is_not_consumed()
    {
        var text = File.ReadAllText(Fixture("session-2025-10-05T07-11-eefc44a3.json"));
        var (summary, sink) = Parse(text[..(text.Length / 2)], Layout("session-2025-10-05T07-11-eefc44a3.json"));

        Assert.Equal(0, summary.EndOffset);
        Assert.Empty(sink.Events);
        Assert.Single(summary.Warnings);
    }

    [Fact]
    public void Hostile_lines_are_warnings_and_the_rest_is_read()
    {
        var log = Metadata()
            + "{not json\n"
            + "[1,2]\n"
            + """{"id":"h1","timestamp":42,"type":"gemini","content":7,"toolCalls":{"x":1},"thoughts":"no","tokens":{"input":"9","output":-5}}""" + "\n"
            + """{"id":"h2","timestamp":"2026-05-01T09:00:04.000Z","type":"gemini","content":"big","tokens":{"input":2000000000,"output":1}}""" + "\n"
            + """{"id":"h3","timestamp":"2026-05-01T09:00:05.000Z","type":"gemini","content":[{"text":"ok"},{"inlineData":{}},"plain"],"toolCalls":[{"id":"t1"},{"name":"x"},{"id":"t2","name":"replace","args":{"file_path":5},"status":"error","result":[{"functionResponse":{"response":{"error":"denied"}}}]}]}""" + "\n"
            + """{"$set":"nope"}""" + "\n"
            + User("u9", "09", "still read");

        var (summary, sink) = Parse(log);

        Assert.Equal(2, summary.MalformedLines);
        Assert.Contains(summary.Warnings, w => w.Contains("token counts out of bounds", StringComparison.Ordinal));
        Assert.Empty(sink.Usage);
        Assert.Equal("big|ok\nplain|still read", Contents(sink, "message"));
        Assert.Single(sink.OfType("tool_result")); // t1 and the nameless call are not calls; t2 failed
    }

    [Fact]
    public void A_tool_call_that_failed_has_its_error_and_a_running_one_no_result_yet()
    {
        var calls = """[{"id":"t1","name":"replace","args":{"file_path":"a.cs","old_string":"x\ny","new_string":"z"},"status":"error","result":[{"functionResponse":{"id":"t1","name":"replace","response":{"error":"no match"}}}]},{"id":"t2","name":"run_shell_command","args":{"command":"ls"},"status":"executing"}]""";
        var (_, sink) = Parse(Metadata() + Gemini("g1", "01", "", toolCalls: calls));

        Assert.Equal(["replace", "run_shell_command"], sink.OfType("tool_call").Select(c => Data(c).GetProperty("tool_name").GetString()));
        var change = Data(sink.OfType("tool_call").First()).GetProperty("file_change");
        Assert.Equal(("a.cs", "edit", 1, 2), (change.GetProperty("path").GetString(), change.GetProperty("kind").GetString(),
            change.GetProperty("lines_added").GetInt32(), change.GetProperty("lines_deleted").GetInt32()));
        var result = Data(Assert.Single(sink.OfType("tool_result")));
        Assert.Equal(("t1", false, "no match"), (result.GetProperty("tool_use_id").GetString(), result.GetProperty("success").GetBoolean(),
            result.GetProperty("error_message").GetString()));
    }

    [Fact]
    public void A_sub_agent_journal_is_its_own_session_naming_its_parent()
    {
        const string path = "/home/dev/.gemini/tmp/my-app/chats/parent-id/" + SessionId + ".jsonl";
        var (_, sink) = Parse(Metadata("subagent") + Gemini("g1", "01", "hi"), path);

        Assert.All(sink.Events, e => Assert.Equal(new ParsedSessionRef(SessionId, "parent-id"), e.Session));
        Assert.Equal("parent-id", Data(sink.OfType("session_start").Single()).GetProperty("parent_session_id").GetString());
        Assert.True(Assert.Single(sink.Usage).FromSubAgent);
    }

    [Fact]
    public void A_legacy_file_rewritten_with_a_finished_call_keeps_its_earlier_events_first()
    {
        const string path = "/home/dev/.gemini/tmp/my-app/chats/session-2026-05-01T09-00-5e551011.json";
        static string Document(string secondStatus) =>
            $$"""{"sessionId":"{{SessionId}}","projectHash":"ab","startTime":"2026-05-01T09:00:00.000Z","messages":[""" + User("u1", "01", "go").TrimEnd() + ","
            + Gemini("g1", "02", "", toolCalls: $$"""[{"id":"t1","name":"read_file","args":{},"status":"success"},{"id":"t2","name":"read_file","args":{},"status":"{{secondStatus}}"}]""").TrimEnd()
            + "]}";

        var before = Parse(Document("executing"), path).Sink.Events.Select(e => e.Event.EventHash).ToList();
        var after = Parse(Document("success"), path).Sink.Events.Select(e => e.Event.EventHash).ToList();
        var (fromOffset, fromOffsetSink) = Parse(Document("success") + "\n", path, start: Document("success").Length);

        Assert.Equal(before, after.Take(before.Count)); // the collector re-reads a rewritten file and skips what it sent by position
        Assert.Equal(before.Count + 1, after.Count);
        Assert.Equal(Document("success").Length + 1, fromOffset.EndOffset); // past a whole document only whitespace can follow
        Assert.Empty(fromOffsetSink.Events);
    }

    [Fact]
    public void The_latest_generated_summary_becomes_the_sessions_title_record()
    {
        var journal = Metadata() + User("u1", "01", "fix it") + """{"$set":{"summary":"Old title"}}""" + "\n"
            + """{"$set":{"lastUpdated":"2026-05-01T09:00:02.000Z","summary":"Fixing the parser"}}""" + "\n";
        var document = $$"""{"sessionId":"{{SessionId}}","startTime":"2026-05-01T09:00:00.000Z","summary":"Legacy title","messages":[]}""";

        var fromJournal = Parse(journal).Sink.OfType("message").Select(Data).Last();
        var fromDocument = Parse(document, "/h/.gemini/tmp/p/chats/session-x.json").Sink.OfType("message").Select(Data).Single();

        Assert.Equal(("system", "summary", "Fixing the parser"), (fromJournal.GetProperty("author_role").GetString(),
            fromJournal.GetProperty("message_type").GetString(), fromJournal.GetProperty("content").GetString()));
        Assert.False(fromJournal.TryGetProperty("uuid", out _)); // a title record, not a message of the conversation
        Assert.Equal("Legacy title", fromDocument.GetProperty("content").GetString());
    }
}
