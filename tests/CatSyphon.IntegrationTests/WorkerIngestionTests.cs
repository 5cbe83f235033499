namespace CatSyphon.IntegrationTests;

/// <summary>
/// The ingestion worker of the running stack persists buffered batches from the Redis shard streams into
/// PostgreSQL: rows, aggregates, idempotence, joins, completion, sub-agent links, dead letters, jobs.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class WorkerIngestionTests(RunningStackFixture stack) : WorkerContextTest(stack)
{
    private static string NewSessionId() => $"worker-{Guid.NewGuid():N}";

    [Fact]
    public async Task Events_become_messages_with_conversation_aggregates_and_the_entry_is_deleted()
    {
        var sessionId = NewSessionId();
        var conversationId = Guid.CreateVersion7();
        var stateKey = IngestionRedisKeys.SessionState(Ctx.WorkspaceId, sessionId);
        await Ctx.RedisDatabase.HashSetAsync(stateKey, [new("conversation_id", conversationId.ToString()), new("last_sequence", 5), new("persisted_sequence", 0)]);

        var batch = Ctx.Batch(sessionId, conversationId,
            WorkerTestContext.Event("session_start", 1, new
            {
                agent_type = "claude-code",
                agent_version = "2.1.0",
                working_directory = "/home/alice/src/catsyphon/",
                git_branch = "main",
                hostname = "alice-laptop",
                custom_field = "kept",
            }),
            WorkerTestContext.Message(2, "human", "Fix the flaky test"),
            WorkerTestContext.Message(3, "assistant", "Done.", new { input_tokens = 100, output_tokens = 20, cache_creation_input_tokens = 7, cache_read_input_tokens = 3 }, "claude-opus"),
            WorkerTestContext.Event("thinking", 4, new { content = "Let me look at the test." }),
            WorkerTestContext.Message(5, "assistant", "More.", new { input_tokens = 1, output_tokens = 2, cache_creation_tokens = 10, cache_read_tokens = 30 }));
        var id = await Ctx.AddAsync(batch);

        var conversation = await Ctx.PersistedAsync(sessionId, 5);
        Assert.Equal(conversationId, conversation!["id"]);
        Assert.Equal(Ctx.CollectorId, conversation["collector_id"]);
        Assert.Equal("active", conversation["status"]);
        Assert.Equal("claude-code", conversation["agent_type"]);
        Assert.Equal("2.1.0", conversation["agent_version"]);
        Assert.Equal("main", conversation["git_branch"]);
        Assert.Equal("alice-laptop", conversation["hostname"]);
        Assert.Equal(5, conversation["event_count"]);
        Assert.Equal(3, conversation["message_count"]);
        Assert.Equal(0, conversation["tool_call_count"]);
        var tokens = await CompatibilityWire.ConversationTokensAsync(App, conversationId);
        Assert.Equal(2L, tokens["responses"]);
        Assert.Equal(101L, tokens["input_tokens"]);
        Assert.Equal(22L, tokens["output_tokens"]);
        Assert.Equal(17L, tokens["cache_creation_tokens"]);
        Assert.Equal(33L, tokens["cache_read_tokens"]);
        Assert.Equal(5L, conversation["last_sequence"]);
        Assert.Equal(5L, conversation["persisted_sequence"]);
        Assert.False((bool)conversation["has_errors"]!);
        Assert.Equal(batch.Events[0].EmittedAt.UtcDateTime, conversation["first_event_at"]);
        Assert.Equal(batch.Events[^1].EmittedAt.UtcDateTime, conversation["last_event_at"]);
        Assert.Equal(batch.Events[0].EmittedAt.UtcDateTime, conversation["started_at"]);

        // Project from the working directory, developer from its home directory.
        Assert.Equal("catsyphon", await Ctx.ScalarAsync<string>("SELECT name FROM projects WHERE id = $1", conversation["project_id"]));
        Assert.Equal("alice", await Ctx.ScalarAsync<string>("SELECT username FROM developers WHERE id = $1", conversation["developer_id"]));

        var messages = await Ctx.RowsAsync("SELECT * FROM messages WHERE conversation_id = $1 ORDER BY sequence", conversationId);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], messages.Select(m => (long)m["sequence"]!));
        Assert.Equal(["session_start", "message", "message", "thinking", "message"], messages.Select(m => (string)m["event_type"]!));
        Assert.Equal(batch.Events.Select(e => e.EventHash), messages.Select(m => (string)m["event_hash"]!));
        Assert.Equal("human", messages[1]["role"]);
        Assert.Equal("prompt", messages[1]["message_type"]);
        Assert.Equal("Fix the flaky test", messages[1]["content"]);
        Assert.Equal("assistant", messages[2]["role"]);
        Assert.Equal("claude-opus", messages[2]["model"]);
        Assert.Equal(100L, messages[2]["input_tokens"]);
        Assert.Equal(7L, messages[2]["cache_creation_tokens"]);
        Assert.Equal("Let me look at the test.", messages[3]["thinking"]);
        Assert.Equal(10L, messages[4]["cache_creation_tokens"]);
        Assert.Equal(30L, messages[4]["cache_read_tokens"]);
        using (var raw = JsonDocument.Parse((string)messages[0]["raw_data"]!))
        {
            Assert.Equal("kept", raw.RootElement.GetProperty("custom_field").GetString());
        }

        Assert.Equal(batch.ReceivedAt.UtcDateTime, (DateTime)messages[0]["received_at"]!, TimeSpan.FromMilliseconds(1));

        // Collector counters, the request's job, Redis bookkeeping.
        var collector = await Ctx.RowAsync("SELECT event_count, session_count FROM collectors WHERE id = $1", Ctx.CollectorId);
        Assert.Equal(5L, collector!["event_count"]);
        Assert.Equal(1L, collector["session_count"]);
        var job = await Ctx.RowAsync("SELECT * FROM ingestion_jobs WHERE id = $1", batch.Job.Id);
        Assert.NotNull(job);
        Assert.Equal("accepted", job["outcome"]);
        Assert.Equal(conversationId, job["conversation_id"]);
        Assert.Equal(5, job["accepted"]);

        await Ctx.WaitUntilDeletedAsync(WorkerTestContext.ShardOf(batch), id);
        var persisted = await WorkerTestContext.EventuallyAsync(
            () => Ctx.RedisDatabase.HashGetAsync(stateKey, "persisted_sequence"), value => value == 5, "persisted_sequence in the session state");
        Assert.Equal(5, (long)persisted);

        // The worker never creates a session state that does not exist (it expired: PostgreSQL is the truth).
        var otherSession = NewSessionId();
        await Ctx.AddAsync(Ctx.Batch(otherSession, Guid.CreateVersion7(), WorkerTestContext.Message(1, "human", "hi")));
        await Ctx.PersistedAsync(otherSession, 1);
        Assert.False(await Ctx.RedisDatabase.KeyExistsAsync(IngestionRedisKeys.SessionState(Ctx.WorkspaceId, otherSession)));
    }

    [Fact]
    public async Task The_same_entry_persisted_twice_is_stored_once_and_counted_once()
    {
        var sessionId = NewSessionId();
        var conversationId = Guid.CreateVersion7();
        var batch = Ctx.Batch(sessionId, conversationId,
            WorkerTestContext.Message(1, "human", "one", new { input_tokens = 5, output_tokens = 0 }),
            WorkerTestContext.Message(2, "assistant", "two", new { input_tokens = 5, output_tokens = 9 }));
        var payload = BufferedBatchSerializer.Serialize(batch);
        var stream = WorkerTestContext.ShardOf(batch);

        // Twice in a row (a replay in the same read set or the next one)...
        var first = await Ctx.AddRawAsync(stream, payload);
        var second = await Ctx.AddRawAsync(stream, payload);
        await Ctx.WaitUntilDeletedAsync(stream, first, second);
        var before = await Ctx.PersistedAsync(sessionId, 2);
        var tokensBefore = await CompatibilityWire.ConversationTokensAsync(App, conversationId);

        // ...and once more after it was persisted (a worker killed after COMMIT, before XACK).
        var third = await Ctx.AddRawAsync(stream, payload);
        await Ctx.WaitUntilDeletedAsync(stream, third);
        var after = await Ctx.ConversationAsync(sessionId);

        Assert.Equal(2L, await Ctx.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1", conversationId));
        Assert.Equal(1L, await Ctx.ScalarAsync<long>("SELECT count(*) FROM ingestion_jobs WHERE id = $1", batch.Job.Id));
        Assert.Equal(1L, await Ctx.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE workspace_id = $1 AND session_id = $2", Ctx.WorkspaceId, sessionId));
        foreach (var column in new[] { "event_count", "message_count", "persisted_sequence", "updated_at" })
        {
            Assert.Equal(before![column], after![column]);
        }

        Assert.Equal(2, after!["event_count"]);
        Assert.Equal(tokensBefore, await CompatibilityWire.ConversationTokensAsync(App, conversationId));
        Assert.Equal(10L, tokensBefore["input_tokens"]);
        var collector = await Ctx.RowAsync("SELECT event_count, session_count FROM collectors WHERE id = $1", Ctx.CollectorId);
        Assert.Equal(2L, collector!["event_count"]);
        Assert.Equal(1L, collector["session_count"]);

        // A second batch of the same session with a new conversation id (a state re-seeded elsewhere) joins the stored one.
        var more = Ctx.Batch(sessionId, Guid.CreateVersion7(), WorkerTestContext.Message(3, "human", "three"));
        await Ctx.AddAsync(more);
        var joined = await Ctx.PersistedAsync(sessionId, 3);
        Assert.Equal(conversationId, joined!["id"]);
        Assert.Equal(3, joined["event_count"]);
        Assert.Equal(conversationId, await Ctx.ScalarAsync<Guid>("SELECT conversation_id FROM ingestion_jobs WHERE id = $1", more.Job.Id));
    }

    [Fact]
    public async Task A_batch_without_conversation_id_takes_the_session_states_id()
    {
        // As the API appends them: no conversation id in the batch, the id in force is in the session state.
        var sessionId = NewSessionId();
        var stateId = Guid.CreateVersion7();
        await Ctx.RedisDatabase.HashSetAsync(IngestionRedisKeys.SessionState(Ctx.WorkspaceId, sessionId),
            [new("conversation_id", stateId.ToString()), new("last_sequence", 2), new("persisted_sequence", 0)]);
        var batch = Ctx.Batch(sessionId, Guid.Empty, WorkerTestContext.Message(1, "human", "a"), WorkerTestContext.Message(2, "assistant", "b"));
        batch = batch with { Job = batch.Job with { ConversationId = null } };
        await Ctx.AddAsync(batch);
        var conversation = await Ctx.PersistedAsync(sessionId, 2);
        Assert.Equal(stateId, conversation!["id"]);
        Assert.Equal(stateId, await Ctx.ScalarAsync<Guid>("SELECT conversation_id FROM ingestion_jobs WHERE id = $1", batch.Job.Id));

        // Without a state (it expired) the stored conversation keeps its id; a new session gets a new one.
        await Ctx.RedisDatabase.KeyDeleteAsync(IngestionRedisKeys.SessionState(Ctx.WorkspaceId, sessionId));
        await Ctx.AddAsync(Ctx.Batch(sessionId, Guid.Empty, WorkerTestContext.Message(3, "human", "c")));
        Assert.Equal(stateId, (await Ctx.PersistedAsync(sessionId, 3))!["id"]);
        Assert.Equal(3, (await Ctx.ConversationAsync(sessionId))!["event_count"]);

        var fresh = NewSessionId();
        await Ctx.AddAsync(Ctx.Batch(fresh, Guid.Empty, WorkerTestContext.Message(1, "human", "new")));
        var freshRow = await Ctx.PersistedAsync(fresh, 1);
        Assert.NotEqual(Guid.Empty, freshRow!["id"]);
    }

    [Fact]
    public async Task Tool_calls_and_results_join_in_either_order()
    {
        var sessionId = NewSessionId();
        var conversationId = Guid.CreateVersion7();

        // tool A: call, then result (same batch); tool B: result first (its own batch), then the call.
        await Ctx.AddAsync(Ctx.Batch(sessionId, conversationId,
            WorkerTestContext.Event("tool_call", 1, new { tool_name = "Read", tool_use_id = "toolu_A", parameters = new { file_path = "/a.cs" } }),
            WorkerTestContext.Event("tool_result", 2, new { tool_use_id = "toolu_A", result = "contents of a" }),
            WorkerTestContext.Event("tool_result", 3, new { tool_use_id = "toolu_B", success = false, error_message = "permission denied" })));
        await Ctx.PersistedAsync(sessionId, 3);
        var early = await Ctx.RowAsync("SELECT * FROM tool_calls WHERE conversation_id = $1 AND tool_use_id = 'toolu_B'", conversationId);
        Assert.Null(early!["tool_name"]);
        Assert.False((bool)early["success"]!);

        await Ctx.AddAsync(Ctx.Batch(sessionId, conversationId,
            WorkerTestContext.Event("tool_call", 4, new { tool_name = "Bash", tool_use_id = "toolu_B", parameters = new { command = "ls /root" } })));
        var conversation = await Ctx.PersistedAsync(sessionId, 4);

        var tools = (await Ctx.RowsAsync("SELECT t.*, m.sequence AS call_sequence FROM tool_calls t LEFT JOIN messages m ON m.id = t.message_id WHERE t.conversation_id = $1 ORDER BY t.tool_use_id", conversationId));
        Assert.Equal(2, tools.Count);
        var a = tools[0];
        Assert.Equal("toolu_A", a["tool_use_id"]);
        Assert.Equal("Read", a["tool_name"]);
        Assert.Equal("contents of a", a["result"]);
        Assert.True((bool)a["success"]!);
        Assert.Equal(1L, a["call_sequence"]);
        Assert.NotNull(a["called_at"]);
        Assert.NotNull(a["completed_at"]);
        using (var parameters = JsonDocument.Parse((string)a["parameters"]!))
        {
            Assert.Equal("/a.cs", parameters.RootElement.GetProperty("file_path").GetString());
        }

        var b = tools[1];
        Assert.Equal("Bash", b["tool_name"]);
        Assert.False((bool)b["success"]!);
        Assert.Equal("permission denied", b["error_message"]);
        Assert.Equal(4L, b["call_sequence"]);
        Assert.NotNull(b["called_at"]);
        Assert.NotNull(b["completed_at"]);

        Assert.Equal(2, conversation!["tool_call_count"]);
        Assert.Equal(4, conversation["event_count"]);
        Assert.True((bool)conversation["has_errors"]!);
    }

    [Fact]
    public async Task Session_end_and_complete_mark_the_session_completed_with_plans_and_files()
    {
        var sessionId = NewSessionId();
        var conversationId = Guid.CreateVersion7();
        var end = WorkerTestContext.Event("session_end", 3, new
        {
            outcome = "success",
            summary = "Refactored the parser",
            plans = new object[]
            {
                new { path = "/home/bob/.claude/plans/parser.md", title = "Parser plan", status = "done", versions = new object[] { "v1 text", new { content = "v2 text" } } },
                new { identifier = "inline", content = "single version" },
                "not an object plan",
                42,
            },
            files_touched = new object[]
            {
                new { path = "src/Parser.cs", change = "Modified", lines_added = 12, lines_deleted = 3 },
                new { path = "src/New.cs", change_kind = "created", lines_added = "40" },
                new { nothing = true },
            },
        });
        await Ctx.AddAsync(Ctx.Batch(sessionId, conversationId,
            WorkerTestContext.Event("session_start", 1, new { agent_type = "claude-code", developer = "bob" }),
            WorkerTestContext.Message(2, "human", "go"),
            end));

        var conversation = await WorkerTestContext.EventuallyAsync(
            () => Ctx.ConversationAsync(sessionId), row => row?["status"] as string == "completed", "the session to be completed");
        Assert.Equal("success", conversation!["outcome"]);
        Assert.Equal("Refactored the parser", conversation["summary"]);
        Assert.Equal(end.EmittedAt.UtcDateTime, conversation["ended_at"]);
        Assert.True((bool)conversation["has_plan"]!);
        Assert.Equal("bob", await Ctx.ScalarAsync<string>("SELECT username FROM developers WHERE id = $1", conversation["developer_id"]));

        var plans = await Ctx.RowsAsync("""
            SELECT p.identifier, p.title, p.status, v.version, v.content
            FROM plans p JOIN plan_versions v ON v.plan_id = p.id
            WHERE p.conversation_id = $1 ORDER BY p.identifier, v.version
            """, conversationId);
        Assert.Equal(
            [
                ("/home/bob/.claude/plans/parser.md", 1, "v1 text"),
                ("/home/bob/.claude/plans/parser.md", 2, "v2 text"),
                ("inline", 1, "single version"),
                ("plan-3", 1, "not an object plan"),
            ],
            plans.Select(p => ((string)p["identifier"]!, (int)p["version"]!, (string)p["content"]!)));
        Assert.Equal("Parser plan", plans[0]["title"]);
        Assert.Equal("done", plans[0]["status"]);

        var files = await Ctx.RowsAsync("SELECT * FROM files_touched WHERE conversation_id = $1 ORDER BY path", conversationId);
        Assert.Equal(["src/New.cs", "src/Parser.cs"], files.Select(f => (string)f["path"]!));
        Assert.Equal("created", files[0]["change_kind"]);
        Assert.Equal(40, files[0]["lines_added"]);
        Assert.Null(files[0]["lines_deleted"]);
        Assert.Equal("modified", files[1]["change_kind"]);
        Assert.Equal(12, files[1]["lines_added"]);
        Assert.Equal(3, files[1]["lines_deleted"]);

        // A replayed session_end adds no second copy of anything.
        await Ctx.AddAsync(Ctx.Batch(sessionId, conversationId, end));
        await Ctx.AddAsync(Ctx.Batch(sessionId, conversationId, WorkerTestContext.Message(4, "human", "after the end")));
        await Ctx.PersistedAsync(sessionId, 4);
        Assert.Equal(2L, await Ctx.ScalarAsync<long>("SELECT count(*) FROM files_touched WHERE conversation_id = $1", conversationId));
        Assert.Equal(4L, await Ctx.ScalarAsync<long>("SELECT count(*) FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.conversation_id = $1", conversationId));

        // The explicit complete call, buffered as a Complete batch, on a session without session_end.
        var other = NewSessionId();
        var otherId = Guid.CreateVersion7();
        await Ctx.AddAsync(Ctx.Batch(other, otherId, WorkerTestContext.Message(1, "human", "hello")));
        var complete = Ctx.Completion(other, otherId, "abandoned", "The user left");
        await Ctx.AddAsync(complete);
        var completed = await WorkerTestContext.EventuallyAsync(
            () => Ctx.ConversationAsync(other), row => row?["status"] as string == "completed", "the complete call to be persisted");
        Assert.Equal("abandoned", completed!["outcome"]);
        Assert.Equal("The user left", completed["summary"]);
        Assert.NotNull(completed["ended_at"]);
        Assert.Equal(1, completed["event_count"]);
        Assert.Equal(1L, await Ctx.ScalarAsync<long>("SELECT count(*) FROM ingestion_jobs WHERE id = $1", complete.Job.Id));
    }

    [Fact]
    public async Task Sub_agents_link_to_their_parent_whichever_arrives_first()
    {
        // Parent first.
        var parent = NewSessionId();
        var parentId = Guid.CreateVersion7();
        await Ctx.AddAsync(Ctx.Batch(parent, parentId, WorkerTestContext.Event("session_start", 1, new { agent_type = "claude-code" })));
        await Ctx.PersistedAsync(parent, 1);
        var child = NewSessionId();
        await Ctx.AddAsync(Ctx.Batch(child, Guid.CreateVersion7(), WorkerTestContext.Event("session_start", 1, new { agent_type = "claude-code", parent_session_id = parent })));
        var childRow = await Ctx.PersistedAsync(child, 1);
        Assert.Equal(parentId, childRow!["parent_conversation_id"]);
        Assert.Equal(parent, childRow["parent_session_id"]);

        // Child first: it keeps the reported parent session id until the parent shows up.
        var lateParent = NewSessionId();
        var earlyChild = NewSessionId();
        await Ctx.AddAsync(Ctx.Batch(earlyChild, Guid.CreateVersion7(), WorkerTestContext.Event("session_start", 1, new { agent_type = "claude-code", parent_session_id = lateParent })));
        var early = await Ctx.PersistedAsync(earlyChild, 1);
        Assert.Null(early!["parent_conversation_id"]);
        Assert.Equal(lateParent, early["parent_session_id"]);

        var lateParentId = Guid.CreateVersion7();
        await Ctx.AddAsync(Ctx.Batch(lateParent, lateParentId, WorkerTestContext.Message(1, "human", "parent speaks")));
        await Ctx.PersistedAsync(lateParent, 1);
        Assert.Equal(lateParentId, (await Ctx.ConversationAsync(earlyChild))!["parent_conversation_id"]);

        // The same session id in another workspace is not a parent.
        var (otherWorkspace, otherCollector) = await WorkerTestContext.CreateWorkspaceAndCollectorAsync(Ctx.Database);
        var foreignChild = NewSessionId();
        var foreignBatch = Ctx.Batch(foreignChild, Guid.CreateVersion7(), WorkerTestContext.Event("session_start", 1, new { agent_type = "x", parent_session_id = parent })) with
        {
            WorkspaceId = otherWorkspace,
            CollectorId = otherCollector,
        };
        foreignBatch = foreignBatch with { Job = foreignBatch.Job with { WorkspaceId = otherWorkspace, CollectorId = otherCollector } };
        await Ctx.AddAsync(foreignBatch);
        var foreign = await WorkerTestContext.EventuallyAsync(
            () => Ctx.RowAsync("SELECT * FROM conversations WHERE workspace_id = $1 AND session_id = $2", otherWorkspace, foreignChild),
            row => row is not null && (long)row["persisted_sequence"]! >= 1, "the foreign child");
        Assert.Null(foreign!["parent_conversation_id"]);
    }

    [Fact]
    public async Task A_poison_entry_is_dead_lettered_after_max_attempts_and_later_entries_still_persist()
    {
        const int shard = 3;
        var stream = IngestionRedisKeys.Shard(shard);
        var deadLettersBefore = await Ctx.RedisDatabase.StreamLengthAsync(IngestionRedisKeys.DeadLetters);

        var poison = await Ctx.AddRawAsync(stream, "this is not JSON");
        var sessionId = Ctx.SessionInShard(shard);
        var good = await Ctx.AddAsync(Ctx.Batch(sessionId, Guid.CreateVersion7(), WorkerTestContext.Message(1, "human", "still persisted")));

        var conversation = await Ctx.PersistedAsync(sessionId, 1);
        Assert.Equal(1, conversation!["event_count"]);

        var deadLetter = await Ctx.DeadLetterAsync(poison);
        Assert.Equal("this is not JSON", (string?)deadLetter[IngestionRedisKeys.PayloadField]);
        Assert.Equal((string?)stream, (string?)deadLetter[IngestionRedisKeys.SourceField]);
        Assert.False(string.IsNullOrWhiteSpace(deadLetter[IngestionRedisKeys.ErrorField]));
        Assert.Equal(5, (int)deadLetter["attempts"]);
        Assert.True(await Ctx.RedisDatabase.StreamLengthAsync(IngestionRedisKeys.DeadLetters) > deadLettersBefore);

        await Ctx.WaitUntilDeletedAsync(stream, poison, good);
        Assert.False(await Ctx.RedisDatabase.HashExistsAsync(IngestionRedisKeys.Attempts(stream), poison));
        var pending = await Ctx.RedisDatabase.StreamPendingAsync(stream, IngestionRedisKeys.ConsumerGroup);
        Assert.Equal(0, pending.PendingMessageCount);

        // A batch that parses but cannot be stored (its workspace does not exist) is dead-lettered too.
        var orphan = Ctx.Batch(NewSessionId(), Guid.CreateVersion7(), WorkerTestContext.Message(1, "human", "orphan")) with
        {
            WorkspaceId = Guid.CreateVersion7(),
        };
        var orphanId = await Ctx.AddRawAsync(stream, BufferedBatchSerializer.Serialize(orphan));
        var after = Ctx.Batch(Ctx.SessionInShard(shard), Guid.CreateVersion7(), WorkerTestContext.Message(1, "human", "after the orphan"));
        await Ctx.AddAsync(after);
        await Ctx.PersistedAsync(after.SessionId, 1);
        var orphanDead = await Ctx.DeadLetterAsync(orphanId);
        Assert.Contains("23503", (string?)orphanDead[IngestionRedisKeys.ErrorField]);
        Assert.Equal(0L, await Ctx.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE session_id = $1", orphan.SessionId));
    }

    [Fact]
    public async Task Refused_jobs_are_drained_into_ingestion_jobs_once()
    {
        var job = new BufferedJob(Guid.CreateVersion7(), Ctx.WorkspaceId, Ctx.CollectorId, NewSessionId(), Guid.CreateVersion7(), 3, 0, 0,
            "refused", 409, "sequence gap: expected 4, received 9", DateTimeOffset.UtcNow, 0.8);
        var payload = BufferedBatchSerializer.Serialize(job);
        var first = await Ctx.AddRawAsync(IngestionRedisKeys.Jobs, payload);
        var second = await Ctx.AddRawAsync(IngestionRedisKeys.Jobs, payload);

        var row = await WorkerTestContext.EventuallyAsync(
            () => Ctx.RowAsync("SELECT * FROM ingestion_jobs WHERE id = $1", job.Id), r => r is not null, "the refused job");
        Assert.Equal("refused", row!["outcome"]);
        Assert.Equal(409, row["http_status"]);
        Assert.Equal(3, row["received_events"]);
        Assert.Equal("collector", row["source"]);
        Assert.Equal(Ctx.CollectorId, row["collector_id"]);
        Assert.Null(row["conversation_id"]); // unknown to PostgreSQL: no dangling reference
        Assert.Equal("sequence gap: expected 4, received 9", row["error"]);

        await Ctx.WaitUntilDeletedAsync(IngestionRedisKeys.Jobs, first, second);
        Assert.Equal(1L, await Ctx.ScalarAsync<long>("SELECT count(*) FROM ingestion_jobs WHERE id = $1", job.Id));
    }

    [Fact]
    public async Task Every_shard_is_drained_to_an_empty_stream()
    {
        var ids = new List<(RedisKey Stream, RedisValue Id)>();
        var sessions = new List<string>();
        for (var shard = 0; shard < IngestionRedisKeys.ShardCount; shard++)
        {
            var sessionId = Ctx.SessionInShard(shard);
            sessions.Add(sessionId);
            ids.Add((IngestionRedisKeys.Shard(shard), await Ctx.AddAsync(Ctx.Batch(sessionId, Guid.CreateVersion7(), WorkerTestContext.Message(1, "human", $"shard {shard}")))));
        }

        foreach (var session in sessions)
        {
            await Ctx.PersistedAsync(session, 1);
        }

        foreach (var (stream, id) in ids)
        {
            await Ctx.WaitUntilDeletedAsync(stream, id);
        }

        // Nothing else is written meanwhile: every shard stream ends up empty (Redis memory stays bounded).
        await WorkerTestContext.EventuallyAsync(
            async () =>
            {
                long total = 0;
                for (var shard = 0; shard < IngestionRedisKeys.ShardCount; shard++)
                {
                    total += await Ctx.RedisDatabase.StreamLengthAsync(IngestionRedisKeys.Shard(shard));
                }

                return total;
            },
            total => total == 0,
            "every shard stream to be empty");
    }
}
