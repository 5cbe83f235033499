// Compatibility with CatSyphon's Python watcher (its HTTP collector client), sending exactly what it sends.
//
// Payload shapes derived from these public sources (read for this test; no code copied):
//   kulesh/catsyphon  backend/src/catsyphon/collector_client.py
//       register_collector (anonymous POST /collectors), CollectorClient headers (Authorization, X-Collector-ID,
//       Content-Type on every request), _create_event / _compute_event_hash (32 hex digits of SHA-256 over
//       "type:emitted_at.isoformat():json.dumps(data, sort_keys=True)"), _message_to_events (tool_call and tool_result
//       events before the message event, tool_use_id "tool_<isoformat>_<index>"), ingest_conversation,
//       ingest_incremental_messages, _send_events (batches of 20), _send_batch_with_retry (resends the same batch on
//       5xx and network errors), _get_session_status, _complete_session ({event_count, outcome, summary}).
//   kulesh/catsyphon  backend/src/catsyphon/watch.py
//       full ingest of a file, later ensure_session_started + ingest_incremental_messages when the file grows,
//       credentials (api_key, collector_id) from the watch configuration.
//   kulesh/catsyphon  backend/src/catsyphon/models/parsed.py (ParsedMessage, ToolCall, PlanInfo.to_dict)
//   kulesh/catsyphon  backend/src/catsyphon/parsers/utils.py (log timestamps parsed with isoparse: aware UTC datetimes)
//   kulesh/catsyphon  backend/src/catsyphon/api/schemas.py, backend/src/catsyphon/api/routes/collectors.py
//       (the original server's answers the client was written against).
using static CatSyphon.IntegrationTests.CompatibilityWire;

namespace CatSyphon.IntegrationTests;

[Collection(RunningStackCollection.Name)]
public sealed class CompatibilityPythonWatcherTests(RunningStackFixture stack)
{
    private const string Model = "claude-sonnet-4-5-20250929";
    private const int BatchSize = 20; // CATSYPHON_COLLECTOR_BATCH_SIZE default

    private static readonly DateTimeOffset SessionStart = DateTimeOffset.Parse("2026-03-02T09:15:00.120Z");

    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Watcher_streams_a_claude_session_in_batches_of_20_and_its_resends_and_appends_are_handled()
    {
        var (workspaceId, collectorId, client) = await RegisterAsWatcherAsync("alice-mbp.local");
        using var http = client;
        var sessionId = Guid.NewGuid().ToString(); // Claude Code's session id: the log file's UUID

        // ingest_conversation: session_start, every message's events, session_end; sent in order in batches of 20.
        var conversation = Conversation();
        var events = new WatcherEvents().IngestConversation(conversation, SessionEndTime, plans: null, filesTouched: ["cart.py", "tests/test_cart.py"]);
        Assert.Equal(44, events.Count);
        Assert.All(events, e => Assert.Matches(Hex32(), (string)e["event_hash"]!));
        Assert.All(events, e => Assert.False(e.ContainsKey("sequence")));
        var batches = Batches(sessionId, events);
        Assert.Equal(new[] { 20, 20, 4 }, batches.Select(b => b.Count));

        Guid? conversationId = null;
        var acceptedTotal = 0L;
        for (var i = 0; i < batches.Count; i++)
        {
            var answer = await SendEventsAsync(http, batches[i].Json, $"batch {i + 1}");
            var batchConversation = RequireUuid(answer, "conversation_id");
            conversationId ??= batchConversation;
            Assert.Equal(conversationId, batchConversation);
            Assert.Equal(batches[i].Count, RequireInteger(answer, "accepted"));
            Assert.Equal(0, RequireInteger(answer, "duplicates"));
            Assert.Equal(Math.Min(BatchSize * (i + 1), 44), RequireInteger(answer, "last_sequence"));
            Assert.Equal(JsonValueKind.Array, answer.GetProperty("warnings").ValueKind);
            acceptedTotal += RequireInteger(answer, "accepted");

            if (i == 1)
            {
                // _send_batch_with_retry after a read timeout: the very same bytes again, which the server had stored.
                var retry = await SendEventsAsync(http, batches[i].Json, "retried batch 2");
                Assert.Equal(0, RequireInteger(retry, "accepted"));
                Assert.Equal(20, RequireInteger(retry, "duplicates"));
                Assert.Equal(40, RequireInteger(retry, "last_sequence"));
                Assert.Equal(conversationId, RequireUuid(retry, "conversation_id"));
            }
        }

        Assert.Equal(44, acceptedTotal);

        // _complete_session(event_count=len(events), outcome="success"): summary None goes out as null.
        var completed = await CompleteAsync(http, sessionId, 44);
        Assert.Equal(sessionId, RequireString(completed, "session_id"));
        Assert.Equal(conversationId, RequireUuid(completed, "conversation_id"));
        Assert.Equal("completed", RequireString(completed, "status"));
        Assert.Equal(44, RequireInteger(completed, "total_events"));

        // The file is parsed again in full (rewritten, or retried from the retry queue): the same events with a new
        // observed_at. The hashes are the same, so everything is a duplicate; completing again is harmless.
        var reparsed = new WatcherEvents().IngestConversation(conversation, SessionEndTime, plans: null, filesTouched: ["cart.py", "tests/test_cart.py"]);
        Assert.Equal(events.Select(e => (string)e["event_hash"]!), reparsed.Select(e => (string)e["event_hash"]!));
        Assert.NotEqual(Json(events[0]["observed_at"]!), Json(reparsed[0]["observed_at"]!));
        foreach (var batch in Batches(sessionId, reparsed))
        {
            var answer = await SendEventsAsync(http, batch.Json, "re-ingested batch");
            Assert.Equal(0, RequireInteger(answer, "accepted"));
            Assert.Equal(batch.Count, RequireInteger(answer, "duplicates"));
            Assert.Equal(44, RequireInteger(answer, "last_sequence"));
        }

        Assert.Equal(44, RequireInteger(await CompleteAsync(http, sessionId, 44), "total_events"));

        // The log grows: ensure_session_started reads the session status (it exists, so no session_start), then
        // ingest_incremental_messages sends only the new messages' events.
        var status = await StatusAsync(http, sessionId);
        Assert.Equal(sessionId, RequireString(status, "session_id"));
        Assert.Equal(conversationId, RequireUuid(status, "conversation_id"));
        Assert.Equal(44, RequireInteger(status, "last_sequence"));
        Assert.Equal(44, RequireInteger(status, "event_count"));
        Assert.Equal("completed", RequireString(status, "status"));

        var appendBuilder = new WatcherEvents();
        var appended = appendBuilder.IncrementalMessages(AppendedMessages());
        Assert.Equal(2, appended.Count);
        Assert.DoesNotContain("+", (string)appended[0]["emitted_at"]!); // a naive datetime: isoformat() without offset
        Assert.Equal("2026-03-02T09:21:05+00:00", (string)appended[1]["emitted_at"]!); // no microseconds: no fraction
        var appendAnswer = await SendEventsAsync(http, Batches(sessionId, appended).Single().Json, "incremental batch");
        Assert.Equal(2, RequireInteger(appendAnswer, "accepted"));
        Assert.Equal(46, RequireInteger(appendAnswer, "last_sequence"));
        Assert.Equal(conversationId, RequireUuid(appendAnswer, "conversation_id"));

        // PostgreSQL catches up with everything answered 202.
        var row = await WaitForStoredConversationAsync(App, () => StatusAsync(http, sessionId), 46, workspaceId, collectorId, sessionId, conversationId!.Value);
        Assert.Equal(
            new ConversationColumns("claude-code", "2.0.31", "/home/alice/src/shop", "fix/cart-rounding", "sprightly-rounding-knuth", Events: 46, Messages: 16, ToolCalls: 14),
            ConversationColumns.Of(row));
        var usages = conversation.Concat(AppendedMessages()).Where(m => m.TokenUsage is not null).Select(m => m.TokenUsage!).ToList();
        // The watcher sends no usage key: each message's usage counts once.
        var tokens = await ConversationTokensAsync(App, conversationId!.Value);
        Assert.Equal((long)usages.Count, tokens["responses"]);
        Assert.Equal(usages.Sum(u => (long)u["input_tokens"]!), (long)tokens["input_tokens"]!);
        Assert.Equal(usages.Sum(u => (long)u["output_tokens"]!), (long)tokens["output_tokens"]!);
        Assert.Equal(usages.Sum(u => (long)u["cache_creation_input_tokens"]!), (long)tokens["cache_creation_tokens"]!);
        Assert.Equal(usages.Sum(u => (long)u["cache_read_input_tokens"]!), (long)tokens["cache_read_tokens"]!);
        Assert.True((bool)row["has_errors"]!); // the failed Bash tool result

        var messages = await MessagesAsync(App, conversationId!.Value);
        Assert.Equal(Enumerable.Range(1, 46).Select(i => (long)i), messages.Select(m => (long)m["sequence"]!));
        Assert.Equal(events.Concat(appended).Select(e => (string)e["event_hash"]!).Order(), messages.Select(m => (string)m["event_hash"]!).Order());
        Assert.Equal("session_start", messages[0]["event_type"]);
        Assert.Equal("session_end", messages[43]["event_type"]);

        // The naive timestamp is read as UTC; the one without fraction is exact.
        Assert.Equal(AppendedMessages()[0].Timestamp, Instant(messages[44]["emitted_at"]));
        Assert.Equal(AppendedMessages()[1].Timestamp, Instant(messages[45]["emitted_at"]));
        Assert.Equal(SessionStart, Instant(messages[0]["emitted_at"]));

        // An assistant message keeps its columns; Claude's extra usage fields (service_tier, cache_creation{}) do no harm.
        var firstResponse = messages.First(m => (string?)m["role"] == "assistant" && m["model"] is not null);
        Assert.Equal("response", firstResponse["message_type"]);
        Assert.Equal(Model, firstResponse["model"]);
        Assert.Equal("tool_use", firstResponse["stop_reason"]);
        Assert.Equal((long)conversation[1].TokenUsage!["input_tokens"]!, (long)firstResponse["input_tokens"]!);
        Assert.Equal((long)conversation[1].TokenUsage!["cache_read_input_tokens"]!, (long)firstResponse["cache_read_tokens"]!);
        var prompt = messages.First(m => (string?)m["message_type"] == "prompt");
        Assert.Equal("human", prompt["role"]);
        Assert.Equal(conversation[0].Content, prompt["content"]);
        Assert.Contains(messages, m => (string?)m["thinking"] == conversation[3].Thinking);

        var tools = await ToolCallsAsync(App, conversationId.Value);
        Assert.Equal(14, tools.Count);
        Assert.All(tools, t => Assert.StartsWith("tool_2026-03-02T09:", (string)t["tool_use_id"]!));
        var failed = Assert.Single(tools, t => (bool?)t["success"] == false);
        Assert.Equal("Bash", failed["tool_name"]);
        Assert.Contains("AssertionError", (string)failed["result"]!);
        var read = tools.First(t => (string?)t["tool_name"] == "Read");
        Assert.True((bool)read["success"]!);
        Assert.Equal("/home/alice/src/shop/cart.py", JsonDocument.Parse((string)read["parameters_json"]!).RootElement.GetProperty("file_path").GetString());
    }

    [Fact]
    public async Task Watcher_session_end_keeps_its_plans_and_files_touched()
    {
        var (workspaceId, collectorId, client) = await RegisterAsWatcherAsync("alice-linux");
        using var http = client;
        var sessionId = Guid.NewGuid().ToString();
        var planPath = "/home/alice/.claude/plans/cart-rounding.md";
        var plan = new JsonObject
        {
            // PlanInfo.to_dict(), with one PlanOperation.to_dict()
            ["plan_file_path"] = planPath,
            ["initial_content"] = "# Plan\n1. Reproduce the rounding bug",
            ["final_content"] = "# Plan\n1. Reproduce the rounding bug\n2. Use Decimal with ROUND_HALF_UP",
            ["status"] = "approved",
            ["iteration_count"] = 2,
            ["operations"] = new JsonArray(new JsonObject
            {
                ["operation_type"] = "create", ["file_path"] = planPath, ["content"] = "# Plan\n1. Reproduce the rounding bug",
                ["old_content"] = null, ["new_content"] = null, ["timestamp"] = PythonIsoformat(SessionStart.AddSeconds(2)), ["message_index"] = 1,
            }),
            ["entry_message_index"] = 0,
            ["exit_message_index"] = null,
            ["related_agent_session_ids"] = new JsonArray(),
        };
        var events = new WatcherEvents().IngestConversation(Conversation().Take(2).ToList(), SessionStart.AddSeconds(30), [plan], ["/home/alice/src/shop/cart.py", "tests/test_cart.py"]);
        Assert.Equal(8, events.Count);

        var answer = await SendEventsAsync(http, Batches(sessionId, events).Single().Json, "the only batch");
        Assert.Equal(8, RequireInteger(answer, "accepted"));
        var conversationId = RequireUuid(answer, "conversation_id");
        Assert.Equal("completed", RequireString(await CompleteAsync(http, sessionId, 8), "status"));
        await WaitForStoredConversationAsync(App, () => StatusAsync(http, sessionId), 8, workspaceId, collectorId, sessionId, conversationId);

        var files = await QueryAsync(App, "SELECT path FROM files_touched WHERE conversation_id = $1 ORDER BY path", conversationId);
        Assert.Equal(new[] { "/home/alice/src/shop/cart.py", "tests/test_cart.py" }, files.Select(f => (string)f["path"]!));

        // The watcher sends plans for "semantic parity with direct ingestion": the plan is known by its file path and
        // its final content is kept.
        var plans = await QueryAsync(App, "SELECT id, identifier, status FROM plans WHERE conversation_id = $1", conversationId);
        var stored = Assert.Single(plans);
        Assert.Equal(planPath, stored["identifier"]);
        Assert.Equal("approved", stored["status"]);
        var versions = await QueryAsync(App, "SELECT content FROM plan_versions WHERE plan_id = $1 ORDER BY version", (Guid)stored["id"]!);
        Assert.Contains(versions, v => (string?)v["content"] == (string)plan["final_content"]!);
    }

    // ---- the watcher's calls ----

    /// <summary>register_collector(): anonymous POST; raise_for_status(); the watcher keeps collector_id and api_key.</summary>
    private async Task<(Guid WorkspaceId, Guid CollectorId, HttpClient Http)> RegisterAsWatcherAsync(string hostname)
    {
        var workspaceId = await CreateOpenWorkspaceAsync(App);
        using var anonymous = AnonymousHttp(App, PythonHttpxUserAgent);
        using var response = await PostJsonAsync(anonymous, "/collectors", new JsonObject
        {
            ["collector_type"] = "watcher",
            ["collector_version"] = "1.0.0",
            ["hostname"] = hostname,
            ["workspace_id"] = workspaceId.ToString(),
        });
        Assert.True(response.IsSuccessStatusCode, $"register_collector raises on {(int)response.StatusCode}");
        var body = await ExpectAsync(response, 201, "register_collector");
        var (collectorId, apiKey) = AssertRegistrationAnswer(body, workspaceId);
        return (workspaceId, collectorId, CollectorHttp(App, apiKey, collectorId.ToString(), PythonHttpxUserAgent));
    }

    /// <summary>_send_batch_with_retry: only 202 is success (4xx raises at once).</summary>
    private static async Task<JsonElement> SendEventsAsync(HttpClient http, string json, string what)
    {
        using var response = await PostJsonAsync(http, "/collectors/events", json);
        return await ExpectAsync(response, 202, what);
    }

    /// <summary>_complete_session: only 200 counts (anything else is logged and ignored, so the session would stay open).</summary>
    private static async Task<JsonElement> CompleteAsync(HttpClient http, string sessionId, int eventCount)
    {
        using var response = await PostJsonAsync(http, $"/collectors/sessions/{sessionId}/complete", new JsonObject
        {
            ["event_count"] = eventCount,
            ["outcome"] = "success",
            ["summary"] = null,
        });
        return await ExpectAsync(response, 200, "_complete_session");
    }

    /// <summary>_get_session_status: the session id goes into the path as is; only 200 is read.</summary>
    private static async Task<JsonElement> StatusAsync(HttpClient http, string sessionId)
    {
        using var response = await GetWithJsonContentTypeAsync(http, $"/collectors/sessions/{sessionId}");
        return await ExpectAsync(response, 200, "_get_session_status");
    }

    private static List<(string Json, int Count)> Batches(string sessionId, IReadOnlyList<JsonObject> events) =>
        events.Chunk(BatchSize)
            .Select(chunk => (Json(new JsonObject
            {
                ["session_id"] = sessionId,
                ["events"] = new JsonArray(chunk.Select(e => e.DeepClone()).ToArray()),
            }), chunk.Length))
            .ToList();

    // ---- a parsed Claude Code session, as the watcher's parser hands it over ----

    private sealed record ParsedTool(string Name, JsonObject Parameters, string? Result, bool Success = true);

    private sealed record ParsedMessage(
        string Role, string Content, DateTimeOffset Timestamp, ParsedTool[]? Tools = null, string? Model = null,
        JsonObject? TokenUsage = null, string? Thinking = null, string? StopReason = null, bool Naive = false);

    private static readonly DateTimeOffset SessionEndTime = SessionStart.AddSeconds(7 * 40 + 10);

    /// <summary>Seven turns: a prompt, then an assistant message with two tool calls and their results (6 events each).</summary>
    private static List<ParsedMessage> Conversation()
    {
        var messages = new List<ParsedMessage>();
        for (var turn = 0; turn < 7; turn++)
        {
            var at = SessionStart.AddSeconds(turn * 40);
            messages.Add(new ParsedMessage("user", turn == 0 ? "Les totaux du panier sont faux — arrondi à 2 décimales ✓" : $"Now check step {turn}", at.AddMilliseconds(1130)));
            ParsedTool[] tools = turn % 2 == 0
                ?
                [
                    new("Bash", new JsonObject { ["command"] = "pytest -q tests/test_cart.py", ["description"] = "Run the cart tests" },
                        turn == 2 ? "FAILED tests/test_cart.py::test_rounding - AssertionError: 10.1 != 10.15" : "3 passed in 0.41s", Success: turn != 2),
                    new("Read", new JsonObject { ["file_path"] = "/home/alice/src/shop/cart.py" }, "def total(items):\n    return round(sum(items), 1)\n"),
                ]
                :
                [
                    new("Edit", new JsonObject { ["file_path"] = "/home/alice/src/shop/cart.py", ["old_string"] = "round(x, 1)", ["new_string"] = "round(x, 2)" },
                        "The file /home/alice/src/shop/cart.py has been updated."),
                    new("Grep", new JsonObject { ["pattern"] = "Decimal", ["path"] = "src" }, "src/cart.py"),
                ];
            messages.Add(new ParsedMessage(
                "assistant",
                turn == 4 ? "" : $"Step {turn}: running the tools.",
                at.AddMilliseconds(6504),
                tools,
                Model,
                Usage(turn),
                Thinking: turn == 1 ? "The rounding happens before summing; use Decimal." : null,
                StopReason: "tool_use"));
        }

        return messages;
    }

    /// <summary>What the log gets later: a message from a parser that yields a naive datetime, and one on a whole second.</summary>
    private static List<ParsedMessage> AppendedMessages() =>
    [
        new("user", "Thanks, ship it", DateTimeOffset.Parse("2026-03-02T09:21:00.250000Z"), Naive: true),
        new("assistant", "Done: committed the fix.", DateTimeOffset.Parse("2026-03-02T09:21:05Z"), Model: Model, TokenUsage: Usage(9), StopReason: "end_turn"),
    ];

    /// <summary>Claude Code's usage block as the parser keeps it, string and object members included.</summary>
    private static JsonObject Usage(int turn) => new()
    {
        ["input_tokens"] = 4L + turn,
        ["cache_creation_input_tokens"] = 1200L + turn,
        ["cache_read_input_tokens"] = 15000L + 100 * turn,
        ["output_tokens"] = 250L + 10 * turn,
        ["service_tier"] = "standard",
        ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = 1200L + turn, ["ephemeral_1h_input_tokens"] = 0L },
    };

    /// <summary>The watcher's event construction (ParsedConversation / ParsedMessage -> collector events).</summary>
    private sealed class WatcherEvents
    {
        public List<JsonObject> IngestConversation(List<ParsedMessage> messages, DateTimeOffset endTime, JsonArray? plans, string[] filesTouched)
        {
            var start = new JsonObject
            {
                ["agent_type"] = "claude-code",
                ["agent_version"] = "2.0.31",
                ["working_directory"] = "/home/alice/src/shop",
                ["git_branch"] = "fix/cart-rounding",
                ["slug"] = "sprightly-rounding-knuth",
                ["summaries"] = new JsonArray(new JsonObject { ["type"] = "summary", ["summary"] = "Fix cart rounding", ["leafUuid"] = "3f6c2a9e-5b1d-4c8e-9f0a-7d2e4b6c8a10" }),
            };
            var events = new List<JsonObject> { Create("session_start", PythonIsoformat(SessionStart), start) };
            events.AddRange(IncrementalMessages(messages));
            var end = new JsonObject { ["outcome"] = "unknown", ["total_messages"] = messages.Count };
            if (plans is not null)
            {
                end["plans"] = plans.DeepClone();
            }

            if (filesTouched.Length > 0)
            {
                end["files_touched"] = new JsonArray(filesTouched.Select(f => (JsonNode)f).ToArray());
            }

            events.Add(Create("session_end", PythonIsoformat(endTime), end));
            return events;
        }

        public List<JsonObject> IncrementalMessages(List<ParsedMessage> messages) => messages.SelectMany(FromMessage).ToList();

        private static IEnumerable<JsonObject> FromMessage(ParsedMessage message)
        {
            var authorRole = message.Role switch { "user" or "human" => "human", "system" => "system", "tool" => "tool", _ => "assistant" };
            var messageType = message.Role switch { "user" or "human" => "prompt", "tool" => "tool_result", _ => "response" };
            var eventTime = PythonIsoformat(message.Timestamp, message.Naive);
            var tools = message.Tools ?? [];
            for (var index = 0; index < tools.Length; index++)
            {
                var tool = tools[index];
                var toolUseId = $"tool_{eventTime}_{index}";
                yield return Create("tool_call", eventTime, new JsonObject
                {
                    ["tool_name"] = tool.Name,
                    ["tool_use_id"] = toolUseId,
                    ["parameters"] = tool.Parameters.DeepClone(),
                });
                if (tool.Result is not null)
                {
                    yield return Create("tool_result", eventTime, new JsonObject
                    {
                        ["tool_use_id"] = toolUseId,
                        ["success"] = tool.Success,
                        ["result"] = tool.Result,
                    });
                }
            }

            var data = new JsonObject { ["author_role"] = authorRole, ["message_type"] = messageType, ["content"] = message.Content };
            if (message.Model is not null)
            {
                data["model"] = message.Model;
            }

            if (message.TokenUsage is not null)
            {
                data["token_usage"] = message.TokenUsage.DeepClone();
            }

            if (message.Thinking is not null)
            {
                data["thinking_content"] = message.Thinking;
            }

            if (message.StopReason is not null)
            {
                data["stop_reason"] = message.StopReason;
            }

            yield return Create("message", eventTime, data);
        }

        /// <summary>_create_event: observed_at is now; the hash covers type, emitted_at text and the sorted data.</summary>
        private static JsonObject Create(string type, string emittedAt, JsonObject data) => new()
        {
            ["type"] = type,
            ["emitted_at"] = emittedAt,
            ["observed_at"] = PythonIsoformat(PythonNow()),
            ["event_hash"] = Sha256Hex32($"{type}:{emittedAt}:{PythonJsonDumps(data)}"),
            ["data"] = data,
        };
    }
}
