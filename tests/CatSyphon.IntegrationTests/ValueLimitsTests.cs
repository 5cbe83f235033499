namespace CatSyphon.IntegrationTests;

/// <summary>
/// The protocol's value limits (v2.1) against the running stack: issue 10's seen bugs each answer 422 naming the
/// field now, nothing of a refused batch is stored, and the worker never fails a set on a count it cannot believe.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class ValueLimitsTests(RunningStackFixture stack)
{
    private static object UsageEvent(object tokenUsage, string emittedAt = "2026-11-01T10:00:00Z", long? sequence = null) => new
    {
        type = "message",
        emitted_at = emittedAt,
        sequence,
        data = new { author_role = "assistant", message_type = "response", content = "hi", model = "claude-opus-4-6", token_usage = tokenUsage },
    };

    public static TheoryData<string, string> RefusedEvents => new()
    {
        // Seen: 4e18 input tokens were 202, then every token total of the workspace answered 500.
        { """{"type":"message","emitted_at":"2026-11-01T10:00:00Z","data":{"author_role":"assistant","message_type":"response","token_usage":{"input_tokens":4000000000000000000}}}""", "events[1].data.token_usage.input_tokens" },
        // Seen: negative counts made totals and cost negative.
        { """{"type":"message","emitted_at":"2026-11-01T10:00:00Z","data":{"author_role":"assistant","message_type":"response","token_usage":{"output_tokens":-5}}}""", "events[1].data.token_usage.output_tokens" },
        // Seen: usage summing past int64 was 202, then dead-lettered by the worker.
        { """{"type":"metadata","emitted_at":"2026-11-01T10:00:00Z","data":{"token_usage":{"input_tokens":5000000000000000000,"cache_read_tokens":5000000000000000000}}}""", "events[1].data.token_usage.cache_read_tokens" },
        { """{"type":"metadata","emitted_at":"2026-11-01T10:00:00Z","data":{"token_usage":{"input_tokens":"12"}}}""", "events[1].data.token_usage.input_tokens" },
        { """{"type":"metadata","emitted_at":"2026-11-01T10:00:00Z","data":{"token_usage":{"input_tokens":1.5}}}""", "events[1].data.token_usage.input_tokens" },
        // Seen: emitted_at in year 1 was accepted.
        { """{"type":"metadata","emitted_at":"0001-01-01T00:00:00Z","data":{}}""", "events[1].emitted_at" },
        { """{"type":"metadata","emitted_at":"2026-11-01T10:00:00Z","observed_at":"9999-01-01T00:00:00Z","data":{}}""", "events[1].observed_at" },
        { $$$"""{"type":"metadata","emitted_at":"2026-11-01T10:00:00Z","data":{"model":"{{{new string('m', 256)}}}"}}""", "events[1].data.model" },
        { $$$"""{"type":"tool_call","emitted_at":"2026-11-01T10:00:00Z","data":{"tool_name":"Read","tool_use_id":"{{{new string('t', 256)}}}"}}""", "events[1].data.tool_use_id" },
        { $$$"""{"type":"session_start","emitted_at":"2026-11-01T10:00:00Z","data":{"agent_type":"x","working_directory":"/{{{new string('w', 4096)}}}"}}""", "events[1].data.working_directory" },
        { $$$"""{"type":"session_end","emitted_at":"2026-11-01T10:00:00Z","data":{"outcome":"success","files_touched":[{"path":"/{{{new string('f', 4096)}}}"}]}}""", "events[1].data.files_touched[0].path" },
    };

    [Theory]
    [MemberData(nameof(RefusedEvents))]
    public async Task A_value_outside_the_limits_refuses_the_whole_batch_with_422_naming_the_field(string badEvent, string field)
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = $"limits-{Guid.NewGuid():N}";
        var good = JsonSerializer.Serialize(CollectorClient.Message(0));
        using var answer = await collector.Http.PostAsync("/collectors/events",
            new StringContent($$"""{"session_id":"{{session}}","events":[{{good}},{{badEvent}}]}""", System.Text.Encoding.UTF8, "application/json"));

        await AssertValidationProblemAsync(answer, field);
        using var status = await collector.Http.GetAsync($"/collectors/sessions/{session}");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Theory]
    [InlineData(9007199254740992L)]
    [InlineData(long.MaxValue)]
    public async Task A_sequence_past_two_to_the_53_minus_one_is_422(long sequence)
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        using var answer = await collector.SendAsync($"limits-{Guid.NewGuid():N}", [CollectorClient.Message(1, sequence)]);
        await AssertValidationProblemAsync(answer, "events[0].sequence");
    }

    [Theory]
    [InlineData("""{"outcome":"success","final_sequence":-1}""", "final_sequence")]
    [InlineData("""{"outcome":"success","event_count":-7}""", "event_count")]
    [InlineData("""{"outcome":"success","final_sequence":9223372036854775807}""", "final_sequence")]
    [InlineData("""{"outcome":"success","final_sequence":9007199254740992}""", "final_sequence")]
    public async Task Seen_completion_counts_outside_the_limits_are_422(string body, string field)
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = $"limits-{Guid.NewGuid():N}";
        await collector.SendAcceptedAsync(session, [CollectorClient.Message(1, 1)]);

        using var answer = await collector.Http.PostAsync($"/collectors/sessions/{session}/complete",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await AssertValidationProblemAsync(answer, field);
        Assert.Equal("active", (await collector.SessionAsync(session)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_largest_final_sequence_is_a_gap_reported_as_it_was_sent()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = $"limits-{Guid.NewGuid():N}";
        await collector.SendAcceptedAsync(session, [CollectorClient.Message(1, 1)]);

        using var answer = await collector.Http.PostAsJsonAsync($"/collectors/sessions/{session}/complete",
            new { outcome = "success", final_sequence = 9007199254740991L });

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        var problem = await CollectorClient.ReadJsonAsync(answer);
        Assert.Equal(9007199254740991L, problem.GetProperty("received_sequence").GetInt64());
        Assert.Equal(2L, problem.GetProperty("expected_sequence").GetInt64());
    }

    [Fact]
    public async Task Seen_heartbeat_with_200_kilobytes_of_status_is_refused()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        // 200 KB is past the 64 KiB body limit of small JSON bodies (413); a field just past its own cap is 422.
        using var huge = await collector.Http.PostAsJsonAsync("/collectors/heartbeat", new { status = new string('s', 200 * 1024) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        var big = new string('s', 256);

        using var status = await collector.Http.PostAsJsonAsync("/collectors/heartbeat", new { status = big });
        using var version = await collector.Http.PostAsJsonAsync("/collectors/heartbeat", new { version = big });
        using var depth = await collector.Http.PostAsJsonAsync("/collectors/heartbeat", new { queue_depth = -1 });
        using var fine = await collector.Http.PostAsJsonAsync("/collectors/heartbeat", new { status = new string('s', 255), version = "1.0", queue_depth = 9007199254740991L });

        await AssertValidationProblemAsync(status, "status");
        await AssertValidationProblemAsync(version, "version");
        await AssertValidationProblemAsync(depth, "queue_depth");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task The_largest_allowed_counts_are_stored_exactly()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = $"limits-{Guid.NewGuid():N}";
        var max = new { input_tokens = 1_000_000_000, output_tokens = 1_000_000_000, cache_creation_tokens = 1_000_000_000, cache_read_input_tokens = 1_000_000_000, total_tokens = long.MaxValue };
        await collector.SendAcceptedAsync(session, [UsageEvent(max, sequence: 1), UsageEvent(max, "2026-11-01T10:00:01Z", 2)]);
        await collector.WaitForPersistedAsync(session, 2);

        using var admin = stack.App.CreateAdminClient();
        var totals = (await admin.GetFromJsonAsync<JsonElement>($"/api/stats/tokens?workspace_id={collector.WorkspaceId}")).GetProperty("totals");
        Assert.Equal(8_000_000_000L, totals.GetProperty("total").GetInt64());
        Assert.Equal(2_000_000_000L, totals.GetProperty("cache_creation").GetInt64());
    }

    [Fact]
    public async Task The_worker_stores_a_set_holding_a_count_it_cannot_believe_without_counting_it()
    {
        // Buffered before the API bounded counts (or by any other path): the set is stored, those usages count nothing.
        await using var context = await WorkerTestContext.CreateAsync(stack.App);
        var session = $"limits-{Guid.NewGuid():N}";
        var batch = context.Batch(session, Guid.CreateVersion7(),
            WorkerTestContext.Usage(1, "huge", input: 4_000_000_000_000_000_000, output: 4_000_000_000_000_000_000),
            WorkerTestContext.Usage(2, "negative", input: -5, output: 3),
            WorkerTestContext.Usage(3, "fine", input: 10, output: 20));
        await context.WaitUntilDeletedAsync(WorkerTestContext.ShardOf(batch), await context.AddAsync(batch));

        Assert.NotNull(await context.PersistedAsync(session, 3));
        var rows = await context.RowsAsync(
            "SELECT usage_key, input_tokens, output_tokens FROM token_usages WHERE workspace_id = $1 ORDER BY usage_key", context.WorkspaceId);
        Assert.Equal(["fine"], rows.Select(row => (string)row["usage_key"]!));
        using var admin = stack.App.CreateAdminClient();
        var totals = (await admin.GetFromJsonAsync<JsonElement>($"/api/stats/tokens?workspace_id={context.WorkspaceId}")).GetProperty("totals");
        Assert.Equal(30L, totals.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task An_uploaded_line_outside_the_limits_is_skipped_with_a_warning_and_the_rest_stored()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var admin = stack.App.CreateAdminClient();
        var session = Guid.NewGuid().ToString();
        string Assistant(string id, long input, string timestamp = "2026-11-01T10:00:00Z") => JsonSerializer.Serialize(new
        {
            type = "assistant", sessionId = session, uuid = Guid.NewGuid().ToString(), timestamp, requestId = "req_" + id, cwd = "/home/dev/limits",
            message = new { id = "msg_" + id, role = "assistant", model = "claude-opus-4-6", content = new[] { new { type = "text", text = "ok " + id } },
                usage = new { input_tokens = input, output_tokens = 2, cache_creation_input_tokens = 0, cache_read_input_tokens = 0 } },
        });
        var file = Path.Combine(Path.GetTempPath(), $"{session}.jsonl");
        await File.WriteAllLinesAsync(file, [Assistant("a", 10), Assistant("b", 4_000_000_000_000_000_000), Assistant("c", 5, "0001-01-01T00:00:00Z"), Assistant("d", 30)]);
        try
        {
            using var response = await admin.PostAsync($"/api/uploads?workspace_id={workspace}", UploadTests.Form([file]));
            var body = await CollectorClient.ReadJsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
            var result = Assert.Single(body.GetProperty("files").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, result.GetProperty("error").ValueKind);
            Assert.True(result.GetProperty("accepted").GetInt64() > 0);
            Assert.Equal(result.GetProperty("events").GetInt64(), result.GetProperty("accepted").GetInt64());
            var warnings = result.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
            Assert.Contains(warnings, w => w.Contains("token_usage.input_tokens", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.Contains("emitted_at", StringComparison.Ordinal));

            await Poll.UntilAsync(async () =>
                (await admin.GetFromJsonAsync<JsonElement>($"/api/stats/tokens?workspace_id={workspace}")).GetProperty("totals").GetProperty("total").GetInt64() == 44,
                TimeSpan.FromSeconds(60), "the uploaded usage to be stored");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task AssertValidationProblemAsync(HttpResponseMessage answer, string field)
    {
        var problem = await CollectorClient.ReadJsonAsync(answer);
        Assert.True(answer.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)answer.StatusCode}: {problem}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected {field} in {errors}");
    }
}
