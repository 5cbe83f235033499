namespace CatSyphon.Worker.Tests.Projection;

/// <summary>The projection alone: an event's data in, the columns of its rows out.</summary>
public sealed class EventProjectionTests
{
    private static readonly DateTimeOffset EmittedAt = new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public void A_message_takes_its_columns_and_reads_user_as_human()
    {
        var row = Project("message", new
        {
            author_role = "user", content = "Fix it", model = "claude-sonnet-4", api_message_id = "msg_1", request_id = "req_1",
            uuid = "u-2", parent_uuid = "u-1", stop_reason = "end_turn", thinking_content = "hmm",
        });

        Assert.Equal(EventType.Message, row.EventType);
        Assert.Equal(AuthorRole.Human, row.Role);
        Assert.Equal(("Fix it", "claude-sonnet-4", "msg_1", "req_1"), (row.Content, row.Model, row.ApiMessageId, row.RequestId));
        Assert.Equal(("u-2", "u-1", "end_turn", "hmm"), (row.Uuid, row.ParentUuid, row.StopReason, row.Thinking));
        Assert.Equal(EmittedAt.ToUniversalTime(), row.EmittedAt);
        Assert.Equal(TimeSpan.Zero, row.EmittedAt.Offset);
        Assert.Null(row.Usage);
        Assert.False(row.IsError);
    }

    [Fact]
    public void Thinking_and_errors_take_their_text_from_any_of_their_fields()
    {
        Assert.Equal("deep", Project("thinking", new { thinking = "deep" }).Thinking);

        var error = Project("error", new { error_message = "boom" });
        Assert.True(error.IsError);
        Assert.Equal("boom", error.Content);
    }

    [Fact]
    public void Token_usage_counts_with_its_key_model_and_cache_tiers()
    {
        var row = Project("message", new
        {
            model = "claude-opus", usage_key = "msg_1:req_1", usage_from_sub_agent = true,
            token_usage = new
            {
                input_tokens = 10, output_tokens = "20", cache_creation_tokens = 30, cache_read_tokens = 40.0, speed = "fast",
                cache_creation = new { ephemeral_1h_input_tokens = 50 },
            },
        });

        Assert.Equal((10L, 20L, 30L, 40L), (row.InputTokens, row.OutputTokens, row.CacheCreationTokens, row.CacheReadTokens));
        Assert.Equal(new UsageInfo("msg_1:req_1", "claude-opus", FromSubAgent: true, CacheCreation1h: 30, Fast: true), row.Usage);
        Assert.Equal("msg_1:req_1", row.UsageKey);
    }

    [Fact]
    public void Usage_of_a_synthetic_reply_counts_without_a_model_and_without_a_key_under_its_own_event()
    {
        var conversationId = Guid.NewGuid();
        var row = Project("message", new { model = "<synthetic>", token_usage = new { input_tokens = 0, output_tokens = 0 } }, conversationId);

        Assert.Equal("<synthetic>", row.Model);
        Assert.Null(row.Usage!.Model);
        Assert.Equal($"event:{conversationId}:hash-1", row.UsageKey);
    }

    [Fact]
    public void Usage_with_an_unbelievable_count_counts_none_of_it()
    {
        var row = Project("message", new { token_usage = new { input_tokens = 5, output_tokens = -1 } });

        Assert.Null(row.Usage);
        Assert.Null(row.InputTokens);
    }

    [Fact]
    public void A_usage_key_longer_than_its_column_becomes_a_digest_shared_by_every_copy()
    {
        var key = new string('k', ColumnLimits.UsageKey + 1);

        var first = Project("message", new { usage_key = key, token_usage = new { input_tokens = 1 } });
        var second = Project("message", new { usage_key = key, token_usage = new { input_tokens = 2 } });

        Assert.StartsWith("sha256-", first.UsageKey);
        Assert.Equal(first.UsageKey, second.UsageKey);
    }

    [Fact]
    public void A_tool_call_keeps_its_parameters_and_the_file_and_plan_it_changed()
    {
        var row = Project("tool_call", new
        {
            tool_use_id = "toolu_1", tool_name = "Write", input = new { file_path = "a.md" },
            file_change = new { file_path = "a.md", action = "Created", lines_added = 7, lines_removed = 2 },
            plan = new { content = "step 1" },
        });

        Assert.Equal(("toolu_1", "Write", """{"file_path":"a.md"}"""), (row.ToolUseId, row.ToolName, row.ToolParameters));
        var file = Assert.Single(row.ToolFacts!.Files);
        Assert.Equal(new FileInfoRow("a.md", "created", 7, 2, EmittedAt.ToUniversalTime()), file);
        var plan = Assert.Single(row.ToolFacts.Plans);
        Assert.Equal("plan-mode", plan.Identifier);
        Assert.Equal(["step 1"], plan.Versions);
    }

    [Fact]
    public void A_tool_event_without_its_id_keeps_only_its_message_row()
    {
        var row = Project("tool_call", new { tool_name = "Bash", parameters = new { command = "ls" } });

        Assert.Equal((null, null, null), (row.ToolUseId, row.ToolName, row.ToolParameters));
    }

    [Fact]
    public void A_tool_result_with_an_error_is_a_failure_and_an_error_of_the_conversation()
    {
        var failed = Project("tool_result", new { tool_use_id = "toolu_1", output = "partial", error = "exit 1", success = true });
        var succeeded = Project("tool_result", new { tool_use_id = "toolu_2", result = "ok" });

        Assert.Equal(("partial", "exit 1", false, true), (failed.ToolResult, failed.ToolError, failed.ToolSuccess, failed.IsError));
        Assert.Equal((true, false), (succeeded.ToolSuccess, succeeded.IsError));
    }

    [Theory]
    [InlineData("""{"working_directory": "/home/alice/src/app"}""", "alice", null)]
    [InlineData("""{"cwd": "C:\\Users\\Bob\\app", "developer": "bob@example.com"}""", "bob@example.com", null)]
    [InlineData("""{"developer": {"login": "carol", "display_name": "Carol C"}}""", "carol", "Carol C")]
    [InlineData("""{"working_directory": "/srv/app"}""", null, null)]
    public void A_session_start_names_its_developer(string data, string? developer, string? displayName)
    {
        var start = ProjectRaw("session_start", data).Start!;

        Assert.Equal((developer, displayName), (start.Developer, start.DeveloperDisplayName));
    }

    [Fact]
    public void A_session_start_takes_its_agent_directory_and_parent()
    {
        var start = Project("session_start", new
        {
            agent_type = "codex", agent_version = "0.9", cwd = "/work/repo/", git_branch = "dev", slug = "s", hostname = "h",
            parent_session_id = "parent-1",
        }).Start!;

        Assert.Equal(("codex", "0.9", "/work/repo/", "dev", "s", "h"), (start.AgentType, start.AgentVersion, start.WorkingDirectory, start.GitBranch, start.Slug, start.Hostname));
        Assert.Equal(("parent-1", "repo"), (start.ParentSessionId, start.ProjectName));
        Assert.Equal(EmittedAt.ToUniversalTime(), start.StartedAt);
    }

    [Fact]
    public void A_session_end_lists_its_plans_versions_once_each_and_its_files()
    {
        var end = Project("session_end", new
        {
            outcome = "success", summary = "done",
            plans = new object[]
            {
                "a plain plan",
                new
                {
                    plan_file_path = "/p.md", title = "P", status = "draft", initial_content = "v1",
                    operations = new object[] { new { new_content = "v2" }, new { content = "v1" } }, final_content = "v3",
                },
                new { identifier = "/p.md", content = "dropped: same identifier" },
                42,
            },
            files_touched = new object[] { "b.txt", new { path = "c.txt", change_type = "Deleted", timestamp = "2026-12-01T09:00:00Z" }, new { kind = "no path" } },
        }).End!;

        Assert.Equal(("success", "done"), (end.Outcome, end.Summary));
        Assert.Equal(["plan-1", "/p.md"], end.Plans.Select(plan => plan.Identifier));
        Assert.Equal(["a plain plan"], end.Plans[0].Versions);
        Assert.Equal(["v1", "v2", "v3"], end.Plans[1].Versions);
        Assert.Equal(("P", "draft"), (end.Plans[1].Title, end.Plans[1].Status));
        Assert.Equal(
            [new FileInfoRow("b.txt", "touched", null, null, EmittedAt.ToUniversalTime()), new FileInfoRow("c.txt", "deleted", null, null, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero))],
            end.Files);
    }

    [Fact]
    public void Data_that_is_not_an_object_or_an_unknown_type_is_refused()
    {
        Assert.Throws<FormatException>(() => ProjectRaw("message", "[1]"));
        Assert.Throws<FormatException>(() => ProjectRaw("telepathy", "{}"));
    }

    [Fact]
    public void NUL_characters_never_reach_a_column()
    {
        var row = ProjectRaw("message", """{"content": "a\u0000b"}""");

        Assert.Equal("a\uFFFDb", row.Content);
        Assert.DoesNotContain("\\u0000", row.RawData);
    }

    private static EventRow Project(string type, object data, Guid? conversationId = null) =>
        ProjectRaw(type, JsonSerializer.Serialize(data), conversationId);

    private static EventRow ProjectRaw(string type, string data, Guid? conversationId = null)
    {
        var batch = new BufferedBatch
        {
            Kind = BufferedBatchKind.Events,
            WorkspaceId = Guid.NewGuid(),
            CollectorId = Guid.NewGuid(),
            SessionId = "s",
            ConversationId = Guid.Empty,
            ReceivedAt = EmittedAt.AddMinutes(1),
            Job = new BufferedJob(Guid.NewGuid(), Guid.NewGuid(), null, "s", null, 1, 1, 0, "accepted", 202, null, EmittedAt, 1),
        };
        return EventProjection.Project(batch, new BufferedEvent(type, 1, "hash-1", EmittedAt, null, data), conversationId ?? Guid.NewGuid());
    }
}
