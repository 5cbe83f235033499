namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>One set of batches against a real PostgreSQL: every table the worker writes, and a replay that writes nothing.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class BatchPersisterTests(WorkerStores stores) : PersistingTest(stores)
{
    private static readonly DateTime Start = TestSession.Start.UtcDateTime;

    [Fact]
    public async Task A_batch_creates_the_conversation_and_its_project_and_developer()
    {
        var (session, result) = await PersistWholeSessionAsync();

        Assert.Equal(8, result.EventsInserted);
        Assert.Equal(8, result.EventsReceived);
        var progress = Assert.Single(result.Sessions);
        Assert.Equal((session.WorkspaceId, session.SessionId, 8L), (progress.WorkspaceId, progress.SessionId, progress.PersistedSequence));
        Assert.NotNull(result.Commit);

        var conversation = await Stores.RowAsync("""
            SELECT c.*, p.name AS project_name, p.directory AS project_directory, d.username AS developer
            FROM conversations c JOIN projects p ON p.id = c.project_id JOIN developers d ON d.id = c.developer_id
            WHERE c.session_id = $1
            """, session.SessionId);
        Assert.Equal((session.ConversationId, session.CollectorId, "completed"), (conversation["id"], conversation["collector_id"], conversation["status"]));
        Assert.Equal(
            ("claude-code", "2.1.0", "/home/alice/src/catsyphon", "main", "laptop"),
            (conversation["agent_type"], conversation["agent_version"], conversation["working_directory"], conversation["git_branch"], conversation["hostname"]));
        Assert.Equal(("catsyphon", "/home/alice/src/catsyphon", "alice"), (conversation["project_name"], conversation["project_directory"], conversation["developer"]));
        Assert.Equal((8, 2, 2), (conversation["event_count"], conversation["message_count"], conversation["tool_call_count"]));
        Assert.Equal((8L, 8L), (conversation["last_sequence"], conversation["persisted_sequence"]));
        Assert.Equal((true, true), (conversation["has_plan"], conversation["has_errors"]));
        Assert.Equal(("success", "Fixed the bug"), (conversation["outcome"], conversation["summary"]));
        Assert.Equal(Start.AddSeconds(1), conversation["started_at"]);
        Assert.Equal(Start.AddSeconds(8), conversation["ended_at"]);
        Assert.Equal((Start.AddSeconds(1), Start.AddSeconds(8)), (conversation["first_event_at"], conversation["last_event_at"]));
    }

    [Fact]
    public async Task A_batch_stores_every_event_as_a_message_and_searches_those_with_text()
    {
        var (session, _) = await PersistWholeSessionAsync();

        var messages = await Stores.RowsAsync(
            "SELECT m.sequence, m.event_type, m.role, m.content, m.model FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.session_id = $1 ORDER BY m.sequence",
            session.SessionId);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), messages.Select(m => (long)m["sequence"]!));
        Assert.Equal(
            ["session_start", "message", "message", "tool_call", "tool_result", "tool_call", "tool_result", "session_end"],
            messages.Select(m => (string)m["event_type"]!));
        Assert.Equal(("human", "Fix the bug"), (messages[1]["role"], messages[1]["content"]));
        Assert.Equal(("assistant", "claude-sonnet-4"), (messages[2]["role"], messages[2]["model"]));
        Assert.Equal(2, await Stores.CountAsync(
            "SELECT count(*) FROM message_search s JOIN conversations c ON c.id = s.conversation_id WHERE c.session_id = $1", session.SessionId));
    }

    [Fact]
    public async Task A_batch_joins_tool_calls_with_their_results()
    {
        var (session, _) = await PersistWholeSessionAsync();

        var calls = await Stores.RowsAsync("""
            SELECT t.tool_use_id, t.tool_name, t.parameters::text AS parameters, t.result, t.success, t.error_message, t.called_at, t.completed_at,
                   m.sequence AS message_sequence
            FROM tool_calls t JOIN conversations c ON c.id = t.conversation_id JOIN messages m ON m.id = t.message_id
            WHERE c.session_id = $1 ORDER BY t.tool_use_id
            """, session.SessionId);
        Assert.Equal(2, calls.Count);
        Assert.Equal(("toolu_1", "Edit", """{"file_path": "src/a.cs"}"""), (calls[0]["tool_use_id"], calls[0]["tool_name"], calls[0]["parameters"]));
        Assert.Equal(("ok", true, (object?)null), (calls[0]["result"], calls[0]["success"], calls[0]["error_message"]));
        Assert.Equal((Start.AddSeconds(4), Start.AddSeconds(5), 4L), (calls[0]["called_at"], calls[0]["completed_at"], calls[0]["message_sequence"]));
        Assert.Equal(("ExitPlanMode", false, "denied"), (calls[1]["tool_name"], calls[1]["success"], calls[1]["error_message"]));
    }

    [Fact]
    public async Task A_batch_stores_files_and_plans_from_tool_calls_and_the_session_end()
    {
        var (session, _) = await PersistWholeSessionAsync();

        var files = await Stores.RowsAsync("""
            SELECT f.path, f.change_kind, f.lines_added, f.lines_deleted, f.touched_at
            FROM files_touched f JOIN conversations c ON c.id = f.conversation_id WHERE c.session_id = $1 ORDER BY f.path
            """, session.SessionId);
        Assert.Equal(2, files.Count);
        Assert.Equal(("README.md", "touched", (object?)null, Start.AddSeconds(8)), (files[0]["path"], files[0]["change_kind"], files[0]["lines_added"], files[0]["touched_at"]));
        Assert.Equal(("src/a.cs", "modified", 3, 1, Start.AddSeconds(4)),
            (files[1]["path"], files[1]["change_kind"], files[1]["lines_added"], files[1]["lines_deleted"], files[1]["touched_at"]));

        var versions = await Stores.RowsAsync("""
            SELECT p.identifier, p.title, p.status, v.version, v.content
            FROM plans p JOIN conversations c ON c.id = p.conversation_id JOIN plan_versions v ON v.plan_id = p.id
            WHERE c.session_id = $1 ORDER BY p.identifier, v.version
            """, session.SessionId);
        Assert.Equal(
            [
                ("/home/alice/.claude/plans/fix.md", "Fix plan", "approved", 1, "v1"),
                ("/home/alice/.claude/plans/fix.md", "Fix plan", "approved", 2, "v2"),
                ("plan-mode", null, null, 1, "1. Fix it"),
            ],
            versions.Select(v => ((string)v["identifier"]!, (string?)v["title"], (string?)v["status"], (int)v["version"]!, (string)v["content"]!)));
    }

    [Fact]
    public async Task A_batch_counts_token_usage_the_collector_and_the_jobs()
    {
        var (session, _) = await PersistWholeSessionAsync();

        var usage = await Stores.RowAsync("SELECT * FROM token_usages WHERE workspace_id = $1", session.WorkspaceId);
        Assert.Equal(("msg_1:req_1", session.ConversationId, "claude-sonnet-4"), (usage["usage_key"], usage["conversation_id"], usage["model"]));
        Assert.Equal((100L, 50L, 10L, 1000L), (usage["input_tokens"], usage["output_tokens"], usage["cache_creation_tokens"], usage["cache_read_tokens"]));
        Assert.Equal((false, 4L, false), (usage["from_sub_agent"], usage["cache_creation_1h_tokens"], usage["fast"]));
        Assert.Equal(Start.AddSeconds(3), usage["occurred_at"]);

        var collector = await Stores.RowAsync("SELECT event_count, session_count FROM collectors WHERE id = $1", session.CollectorId);
        Assert.Equal((8L, 1L), (collector["event_count"], collector["session_count"]));

        // One job per batch, each under the batch's conversation.
        var jobs = await Stores.RowsAsync("SELECT * FROM ingestion_jobs WHERE session_id = $1", session.SessionId);
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, job => Assert.Equal(
            (session.ConversationId, "accepted", 4, 202), (job["conversation_id"], job["outcome"], job["accepted"], job["http_status"])));
    }

    [Fact]
    public async Task Persisting_the_same_batches_again_adds_nothing()
    {
        var (session, _, batches) = await PersistWholeSessionWithBatchesAsync();
        var before = await SnapshotAsync(session);

        var again = await PersistAsync(batches);

        Assert.Equal(0, again.EventsInserted);
        Assert.Equal(8, again.EventsReceived);
        Assert.Equal(8, Assert.Single(again.Sessions).PersistedSequence);
        Assert.Equal(before, await SnapshotAsync(session));
    }

    [Fact]
    public async Task A_set_with_a_malformed_event_stores_nothing()
    {
        var good = Session.Batch(Session.Event("message", new { author_role = "user", content = "hello" }));
        var bad = Session.Batch(Session.Event("message", new { content = "x" }) with { Data = "[1, 2]" });

        await Assert.ThrowsAsync<FormatException>(() => PersistAsync(good, bad));

        Assert.Equal(0, await Stores.CountAsync("SELECT count(*) FROM conversations WHERE session_id = $1", Session.SessionId));
    }

    /// <summary>What a replay must leave as it was: every row count of the session and every counter.</summary>
    private async Task<string> SnapshotAsync(TestSession session)
    {
        var row = await Stores.RowAsync("""
            SELECT c.event_count, c.message_count, c.tool_call_count, c.persisted_sequence, c.last_sequence, c.status, c.ended_at,
                   (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS messages,
                   (SELECT count(*) FROM message_search s WHERE s.conversation_id = c.id) AS search,
                   (SELECT count(*) FROM tool_calls t WHERE t.conversation_id = c.id) AS tool_calls,
                   (SELECT count(*) FROM files_touched f WHERE f.conversation_id = c.id) AS files,
                   (SELECT count(*) FROM plans p WHERE p.conversation_id = c.id) AS plans,
                   (SELECT count(*) FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.conversation_id = c.id) AS plan_versions,
                   (SELECT count(*) FROM token_usages u WHERE u.conversation_id = c.id) AS token_usages,
                   (SELECT count(*) FROM ingestion_jobs j WHERE j.conversation_id = c.id) AS jobs,
                   (SELECT count(*) FROM projects p WHERE p.workspace_id = c.workspace_id) AS projects,
                   (SELECT count(*) FROM developers d WHERE d.workspace_id = c.workspace_id) AS developers,
                   k.event_count AS collector_events, k.session_count AS collector_sessions
            FROM conversations c JOIN collectors k ON k.id = c.collector_id
            WHERE c.session_id = $1
            """, session.SessionId);
        return string.Join(", ", row.Select(pair => $"{pair.Key}={pair.Value}"));
    }

    private async Task<(TestSession Session, PersistResult Result)> PersistWholeSessionAsync()
    {
        var (session, result, _) = await PersistWholeSessionWithBatchesAsync();
        return (session, result);
    }

    /// <summary>A whole session in two batches of one set: start, prompt and reply with usage, an edit, a refused plan, the end.</summary>
    private async Task<(TestSession Session, PersistResult Result, BufferedBatch[] Batches)> PersistWholeSessionWithBatchesAsync()
    {
        var session = Session;
        BufferedBatch[] batches =
        [
            session.Batch(
                session.Event("session_start", new
                {
                    agent_type = "claude-code", agent_version = "2.1.0", working_directory = "/home/alice/src/catsyphon", git_branch = "main", hostname = "laptop",
                }),
                session.Event("message", new { author_role = "user", content = "Fix the bug" }),
                session.Event("message", new
                {
                    author_role = "assistant", content = "Looking at it", model = "claude-sonnet-4", api_message_id = "msg_1", usage_key = "msg_1:req_1",
                    token_usage = new { input_tokens = 100, output_tokens = 50, cache_creation_input_tokens = 10, cache_read_input_tokens = 1000, cache_creation_1h_input_tokens = 4 },
                }),
                session.Event("tool_call", new
                {
                    tool_use_id = "toolu_1", tool_name = "Edit", parameters = new { file_path = "src/a.cs" },
                    file_change = new { path = "src/a.cs", change_kind = "Modified", lines_added = 3, lines_deleted = 1 },
                })),
            session.Batch(
                session.Event("tool_result", new { tool_use_id = "toolu_1", result = "ok", success = true }),
                session.Event("tool_call", new { tool_use_id = "toolu_2", tool_name = "ExitPlanMode", plan = new { content = "1. Fix it" } }),
                session.Event("tool_result", new { tool_use_id = "toolu_2", error_message = "denied" }),
                session.Event("session_end", new
                {
                    outcome = "success", summary = "Fixed the bug", files_touched = new[] { "README.md" },
                    plans = new[] { new { path = "/home/alice/.claude/plans/fix.md", title = "Fix plan", status = "approved", versions = new[] { "v1", "v2" } } },
                })),
        ];

        var result = await PersistAsync(batches);
        return (session, result, batches);
    }
}
