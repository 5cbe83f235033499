using CatSyphon.Protocol.Parsing.Cursor;
using static CatSyphon.Protocol.Tests.Parsing.CursorTestFolder;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>
/// The parser held to the real workspace <c>state.vscdb</c> in Fixtures/cursor (old layout, Windows, November 2024).
/// Expected numbers were counted from the file's two chat keys: the Chat pane's 5 tabs hold 49 bubbles, 27 "user" (5 of
/// them the empty draft after the last reply) and 22 "ai" (all claude-3.5-sonnet), every tab titled; the Composer's 26
/// composers hold 41 type-1 and 41 type-2 bubbles, 7 of them named, and 118 code blocks of which 113 name a file; the
/// composers' codeBlockData gives those 113 the statuses accepted 45, completed 26, outdated 26, cancelled 8, rejected 8.
/// The newest stamp is composer 7ab14174's lastUpdatedAt 1731818782107; the next is tab 2aa483d1's lastSendTime
/// 1731818231743.
/// </summary>
public sealed class CursorRealLogTests : IDisposable
{
    private const long NewestStamp = 1731818782107;
    private const long TabStamp = 1731818231743;
    private const string NewestComposer = "7ab14174-a536-4e2c-98e9-8c5e28fa2006";
    private const string NewestTab = "2aa483d1-573c-4039-ae4e-7415e28d2605";

    private readonly CursorTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void The_real_workspace_gives_its_tabs_and_composers_as_sessions()
    {
        var (summary, sink) = Parse(folder.RealWorkspaceDatabase());

        Assert.Equal(0, summary.MalformedLines);
        Assert.Empty(summary.Warnings);
        Assert.Equal(NewestStamp, summary.EndOffset);
        Assert.Equal(31, sink.Events.Select(e => e.Session.SessionId).Distinct().Count());
        Assert.Equal(31, sink.OfType("session_start").Count(s => Data(s).GetProperty("agent_type").GetString() == AgentTypes.Cursor));
        Assert.Equal(22 + 41, Messages(sink, "human").Count());
        var responses = Messages(sink, "assistant").ToList();
        Assert.Equal(22 + 41, responses.Count);
        Assert.Equal(22, responses.Count(r => r.TryGetProperty("model", out var model) && model.GetString() == "claude-3.5-sonnet"));
        Assert.Equal(5 + 7, Messages(sink, "system").Count());
        Assert.Contains(Messages(sink, "system"), m => m.GetProperty("content").GetString() == "Ionic App Sidebar Customization Guide");
        Assert.Empty(sink.Usage); // the old layout records no tokens
    }

    [Fact]
    public void The_composers_suggested_edits_are_tool_calls_with_what_became_of_them()
    {
        var (_, sink) = Parse(folder.RealWorkspaceDatabase());

        var calls = sink.OfType("tool_call").Select(Data).ToList();
        Assert.Equal(113, calls.Count);
        Assert.All(calls, c => Assert.Equal("suggested_edit", c.GetProperty("tool_name").GetString()));
        Assert.Equal(45, calls.Count(c => c.TryGetProperty("file_change", out _)));
        var results = sink.OfType("tool_result").Select(Data).ToList();
        Assert.Equal(113, results.Count);
        Assert.Equal(45 + 26 + 26, results.Count(r => r.GetProperty("success").GetBoolean()));
        Assert.Equal(8, results.Count(r => r.GetProperty("result").GetString() == "rejected"));
        Assert.Contains(calls, c => c.GetProperty("parameters").GetProperty("path").GetString()
            == @"c:\Users\ydebray\Documents\mobilechat\components\Sidebar\Sidebar.jsx");
    }

    [Fact]
    public void Messages_without_times_are_dated_from_their_chat_in_order()
    {
        var (_, sink) = Parse(folder.RealWorkspaceDatabase());

        // Tab 2aa483d1: 33 bubbles, the last (an empty draft) at its lastSendTime, each earlier one a millisecond before.
        var tab = sink.Events.Where(e => e.Session.SessionId == NewestTab && e.Event.Type == "message").Select(e => e.Event).ToList();
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(TabStamp - 32), tab[1].EmittedAt); // [0] is the title
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(TabStamp - 1), tab[^1].EmittedAt);
        // Composer 090e988a: created 1731784818255, its prompt then its reply a millisecond later.
        var composer = sink.Events.Where(e => e.Session.SessionId == "090e988a-b2e3-4fcc-84e0-62a9401ae6ea" && e.Event.Type == "message").ToList();
        Assert.Equal([1731784818255, 1731784818256], composer.Select(e => e.Event.EmittedAt.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void A_read_from_a_mark_takes_the_chats_stamped_at_or_after_it_with_the_same_hashes()
    {
        var path = folder.RealWorkspaceDatabase();
        var (_, whole) = Parse(path);

        var (fromTab, changed) = Parse(path, TabStamp);
        Assert.Equal(NewestStamp, fromTab.EndOffset);
        Assert.Equal([NewestTab, NewestComposer], changed.Events.Select(e => e.Session.SessionId).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(whole.Events.Where(e => e.Session.SessionId is NewestComposer or NewestTab), changed.Events);

        var (again, same) = Parse(path, NewestStamp); // a stamp equal to the mark is read again (it may have changed in that millisecond)
        Assert.Equal(NewestStamp, again.EndOffset);
        Assert.Equal([NewestComposer], same.Events.Select(e => e.Session.SessionId).Distinct());

        var (past, nothing) = Parse(path, NewestStamp + 1);
        Assert.Equal(NewestStamp + 1, past.EndOffset);
        Assert.Empty(nothing.Events);
    }

    [Fact]
    public void The_datasette_export_seeds_a_second_workspace()
    {
        // Two ItemTable rows of another workspace, exported as {"rows": [[rowid, key, value], ...]} with the values as text.
        using var export = JsonDocument.Parse(File.ReadAllBytes(Fixture("slevin48__cursor-history", "workspaceStorage", "f87f6e0b2cf1ae8645cc0c5ffaa99529.json")));
        var path = folder.Database("second/state.vscdb", KeyValueTables);
        using (var connection = Writer(path))
        {
            foreach (var row in export.RootElement.GetProperty("rows").EnumerateArray())
            {
                Put(connection, "ItemTable", row[1].GetString()!, row[2].GetString()!);
            }
        }

        var (summary, sink) = Parse(path);

        Assert.Equal(1731634661220, summary.EndOffset);
        var sessions = sink.Events.GroupBy(e => e.Session.SessionId).ToDictionary(g => g.Key, g => g.Select(e => e.Event).ToList());
        Assert.Equal(["8420c7ae-355b-48e8-a441-87fb714a6ef5", "cf567e3f-3326-4ed1-b21a-ebf77816d0b8"], sessions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4, sessions["8420c7ae-355b-48e8-a441-87fb714a6ef5"].Count(e => e.Type == "message" && Data(e).GetProperty("author_role").GetString() == "human"));
        Assert.Equal(4, sessions["8420c7ae-355b-48e8-a441-87fb714a6ef5"].Count(e => e.Type == "message" && Data(e).GetProperty("author_role").GetString() == "assistant"));
        Assert.Equal(1, sessions["cf567e3f-3326-4ed1-b21a-ebf77816d0b8"].Count(e => e.Type == "message" && Data(e).GetProperty("author_role").GetString() == "human"));
        Assert.Contains(Messages(sink, "system"), m => m.GetProperty("content").GetString() == "Refactoring Code for Reusable Chat Function");
    }

    [Fact]
    public void The_workspace_folder_comes_from_workspace_json_beside_the_database()
    {
        var path = folder.RealWorkspaceDatabase();
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(path)!, "workspace.json"), """{"folder":"file:///home/dev/mobile%20chat"}""");

        var (_, sink) = Parse(path);

        Assert.All(sink.OfType("session_start"), s => Assert.Equal("/home/dev/mobile chat", Data(s).GetProperty("working_directory").GetString()));
    }

    [Fact]
    public void A_scan_reads_the_database_and_counts_its_bytes()
    {
        var path = folder.RealWorkspaceDatabase();

        var result = new LogTreeScanner(AgentFormatRegistry.Default).Scan(folder.Root);

        Assert.Equal(1, result.Files);
        Assert.Equal(new FileInfo(path).Length, result.Bytes);
        Assert.Equal(31, result.Sessions);
        Assert.Equal(113, result.EventsByType["tool_call"]);
    }
}
