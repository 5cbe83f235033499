// Compatibility with aiobscura's CatSyphon sync (Rust), sending exactly what it sends.
//
// Payload shapes derived from these public sources (read for this test; no code copied):
//   kulesh/aiobscura  aiobscura-core/src/collector/client.rs
//       CollectorRegisterRequest / CollectorRegisterResponse (collector_id, api_key, api_key_prefix, created_at: all
//       required Strings), register_collector (anonymous POST /collectors, any 2xx), default headers (Content-Type,
//       Authorization, X-Collector-ID on every request), EventsResponse (accepted: usize required; rejected and
//       session_status defaulted), SessionStatus (session_id String, last_sequence i32, event_count i64, status
//       String, all required), get_session_status (404 -> None), ensure_session_started, complete_session
//       ({event_count, outcome, summary}; any JSON answer; 404 -> false), send_events_with_retry (5xx and network
//       errors resend the same batch), session ids URL-encoded in paths.
//   kulesh/aiobscura  aiobscura-core/src/collector/events.rs
//       CollectorEvent (type, emitted_at, observed_at as chrono DateTime<Utc>, event_hash skipped when None, data),
//       the data built per message type, compute_event_hash (32 hex digits of SHA-256 over
//       "type:emitted_at.to_rfc3339():serde_json::to_string(data)").
//   kulesh/aiobscura  aiobscura-core/src/collector/publisher.rs
//       StatefulSyncPublisher: build_session_start_event (no event_hash), ensure_remote_session_started,
//       publish_session (batches of unpublished messages; a failed batch is sent again later), and
//       maybe_complete_stale_session (outcome "partial", summary "Completed by aiobscura after inactivity",
//       event_count = local message count). No session_end event and no sequence numbers are ever sent.
//   kulesh/aiobscura  aiobscura-core/src/config.rs (batch_size 20), aiobscura/src/collector.rs (register command:
//       collector_type "aiobscura", metadata {platform, arch}), aiobscura/src/sync.rs (publish loop),
//   kulesh/aiobscura  aiobscura-core/src/types.rs (Assistant::as_str "claude_code", author roles, message types),
//   kulesh/aiobscura  aiobscura-core/Cargo.toml, Cargo.toml (serde_json without preserve_order: object keys go out
//       sorted; package version 0.1.11).
using static CatSyphon.IntegrationTests.CompatibilityWire;

namespace CatSyphon.IntegrationTests;

[Collection(RunningStackCollection.Name)]
public sealed class CompatibilityAiobscuraTests(RunningStackFixture stack)
{
    private const string Version = "0.1.11";
    private const int BatchSize = 20;
    private const string Model = "claude-opus-4-5-20251101";
    private const string StaleSummary = "Completed by aiobscura after inactivity";

    private static readonly DateTimeOffset StartedAt = DateTimeOffset.Parse("2026-04-14T16:02:11.482Z");

    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Aiobscura_registers_publishes_with_its_hashes_retries_and_completes_a_stale_session()
    {
        var workspaceId = await CreateOpenWorkspaceAsync(App);

        // aiobscura-collector register: anonymous POST, any 2xx; every field of the answer is a required String.
        JsonElement registration;
        using (var anonymous = AnonymousHttp(App, userAgent: null))
        using (var response = await PostJsonAsync(anonymous, "/collectors", new JsonObject
        {
            ["collector_type"] = "aiobscura",
            ["collector_version"] = Version,
            ["hostname"] = "carol-mbp",
            ["workspace_id"] = workspaceId.ToString(),
            ["metadata"] = new JsonObject { ["arch"] = "aarch64", ["platform"] = "macos" },
        }))
        {
            Assert.True(response.IsSuccessStatusCode, $"registration failed ({(int)response.StatusCode})");
            registration = await ExpectAsync(response, 201, "register_collector");
        }

        foreach (var field in new[] { "collector_id", "api_key", "api_key_prefix", "created_at" })
        {
            RequireString(registration, field); // serde: a missing field or a non-string fails the whole answer
        }

        var (collectorId, apiKey) = AssertRegistrationAnswer(registration, workspaceId);
        using var http = CollectorHttp(App, apiKey, collectorId.ToString(), userAgent: null);

        // health_check(): GET /health, success status.
        using (var health = await GetWithJsonContentTypeAsync(http, "/health"))
        {
            Assert.True(health.IsSuccessStatusCode, $"/health answered {(int)health.StatusCode}");
        }

        var sessionId = Guid.NewGuid().ToString(); // the Claude Code session id
        var path = $"/collectors/sessions/{Uri.EscapeDataString(sessionId)}";

        // ensure_remote_session_started -> ensure_session_started: GET status; only 404 means "not there yet".
        using (var unknown = await GetWithJsonContentTypeAsync(http, path))
        {
            Assert.Equal(404, (int)unknown.StatusCode);
        }

        var startEvent = SessionStartEvent();
        Assert.False(startEvent.ContainsKey("event_hash"));
        var startBatch = Json(new JsonObject { ["session_id"] = sessionId, ["events"] = new JsonArray(startEvent) });
        var started = await SendAsync(http, startBatch, "session_start");
        Assert.Equal(1, EventsAccepted(started));
        var conversationId = RequireUuid(started, "conversation_id");

        // send_events_with_retry after a timeout: the same bytes again; the server's own hash finds the duplicate.
        var startAgain = await SendAsync(http, startBatch, "retried session_start");
        Assert.Equal(0, EventsAccepted(startAgain));
        Assert.Equal(1, RequireInteger(startAgain, "duplicates"));

        // A restart before the publish state was saved: ensure_session_started reads the status, finds it, sends nothing.
        var existing = await SessionStatusAsync(http, path, sessionId);
        Assert.Equal(1, RequireInteger(existing, "last_sequence"));
        Assert.Equal("active", RequireString(existing, "status"));

        // publish_session: unpublished messages in batches of 20 until a batch comes back short.
        var messages = LocalMessages();
        Assert.Equal(45, messages.Count);
        var events = messages.Select(FromMessage).ToList();
        Assert.All(events, e => Assert.Matches(Hex32(), (string)e["event_hash"]!));
        Assert.All(events, e => Assert.False(e.ContainsKey("sequence")));
        var batches = events.Chunk(BatchSize)
            .Select(chunk => Json(new JsonObject { ["session_id"] = sessionId, ["events"] = new JsonArray(chunk.Select(e => e.DeepClone()).ToArray()) }))
            .ToList();
        Assert.Equal(3, batches.Count);

        var first = await SendAsync(http, batches[0], "batch 1");
        Assert.Equal(20, EventsAccepted(first));
        Assert.Equal(21, RequireInteger(first, "last_sequence"));
        var second = await SendAsync(http, batches[1], "batch 2");
        Assert.Equal(20, EventsAccepted(second));
        Assert.Equal(41, RequireInteger(second, "last_sequence"));

        // The client gave up on batch 2 (timeout) although the server stored it: the publish state did not advance,
        // so the next publish_session sends messages 21..40 again, rebuilt from the local database: the same JSON.
        var again = await SendAsync(http, batches[1], "batch 2 published again");
        Assert.Equal(0, EventsAccepted(again));
        Assert.Equal(20, RequireInteger(again, "duplicates"));
        Assert.Equal(41, RequireInteger(again, "last_sequence"));

        var third = await SendAsync(http, batches[2], "batch 3");
        Assert.Equal(5, EventsAccepted(third));
        Assert.Equal(46, RequireInteger(third, "last_sequence"));
        Assert.All(new[] { first, second, again, third }, answer => Assert.Equal(conversationId, RequireUuid(answer, "conversation_id")));

        // maybe_complete_stale_session: nothing left to publish and an hour idle.
        JsonElement completed;
        using (var response = await PostJsonAsync(http, $"{path}/complete", new JsonObject
        {
            ["event_count"] = messages.Count,
            ["outcome"] = "partial",
            ["summary"] = StaleSummary,
        }))
        {
            Assert.True(response.IsSuccessStatusCode, $"complete_session failed ({(int)response.StatusCode})");
            completed = await ExpectAsync(response, 200, "complete_session"); // parsed as serde_json::Value: must be JSON
        }

        Assert.Equal(JsonValueKind.Object, completed.ValueKind);
        Assert.Equal("completed", RequireString(completed, "status"));
        Assert.Equal(46, RequireInteger(completed, "total_events"));

        var done = await SessionStatusAsync(http, path, sessionId);
        Assert.Equal(46, RequireInteger(done, "last_sequence"));
        Assert.Equal(46, RequireInteger(done, "event_count"));
        Assert.Equal("completed", RequireString(done, "status"));

        // PostgreSQL catches up with everything answered 202.
        var row = await WaitForStoredConversationAsync(App, () => SessionStatusAsync(http, path, sessionId), 46, workspaceId, collectorId, sessionId, conversationId);
        Assert.Equal("partial", row["outcome"]);
        Assert.Equal(StaleSummary, row["summary"]);
        Assert.Equal(
            new ConversationColumns("claude_code", Version, "/Users/carol/src/payments-api", "main", "quiet-ledger-hopper", Events: 46, Messages: 24, ToolCalls: 10),
            ConversationColumns.Of(row));
        var tokens = await ConversationTokensAsync(App, conversationId);
        Assert.Equal(messages.Sum(m => m.TokensIn ?? 0), (long)tokens["input_tokens"]!);
        Assert.Equal(messages.Sum(m => m.TokensIn is null ? 0 : m.TokensOut ?? 0), (long)tokens["output_tokens"]!);
        Assert.True((bool)row["has_errors"]!);

        var stored = await MessagesAsync(App, conversationId);
        Assert.Equal(Enumerable.Range(1, 46).Select(i => (long)i), stored.Select(m => (long)m["sequence"]!));
        Assert.Equal("session_start", stored[0]["event_type"]);
        var ourHashes = events.Select(e => (string)e["event_hash"]!).ToList();
        Assert.Equal(ourHashes, stored.Skip(1).Select(m => (string)m["event_hash"]!));
        Assert.DoesNotContain((string)stored[0]["event_hash"]!, ourHashes);
        Assert.Equal(
            new[] { "agent", "assistant", "caller", "human", "system" },
            stored.Where(m => (string)m["event_type"]! == "message").Select(m => (string)m["role"]!).Distinct().Order());
        Assert.Equal(
            new[] { "context", "plan", "prompt", "response", "summary" },
            stored.Where(m => (string)m["event_type"]! == "message").Select(m => (string)m["message_type"]!).Distinct().Order());

        // Timestamps: millisecond emitted_at exact; nanosecond observed_at kept to PostgreSQL's microsecond.
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.Equal(messages[i].EmittedAt, Instant(stored[i + 1]["emitted_at"]));
            var observed = Instant(stored[i + 1]["observed_at"]);
            Assert.True(Math.Abs((observed - messages[i].ObservedAt).Ticks) < 10, $"observed_at {observed:O} vs {messages[i].ObservedAt:O}");
        }

        // The message's raw_data (the source log line) travels inside data and is kept.
        var response0 = stored[3];
        Assert.Equal("response", response0["message_type"]);
        Assert.Equal(messages[2].TokensIn, (long?)response0["input_tokens"]);
        var raw = JsonDocument.Parse((string)response0["raw_json"]!).RootElement;
        Assert.Equal((string)messages[2].RawData!["uuid"]!, raw.GetProperty("raw_data").GetProperty("uuid").GetString());

        var error = Assert.Single(stored, m => (string)m["event_type"]! == "error");
        Assert.Equal("API Error: 529 overloaded_error", error["content"]);

        var tools = await ToolCallsAsync(App, conversationId);
        Assert.Equal(10, tools.Count);
        var failed = Assert.Single(tools, t => (bool?)t["success"] == false);
        Assert.Equal("Bash", failed["tool_name"]);
        Assert.Equal("Exit code 1", failed["error_message"]);
        Assert.All(tools, t => Assert.NotNull(t["completed_at"]));
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, string json, string what)
    {
        using var response = await PostJsonAsync(http, "/collectors/events", json);
        Assert.True(response.IsSuccessStatusCode, $"{what}: API error ({(int)response.StatusCode})");
        return await ExpectAsync(response, 202, what);
    }

    /// <summary>EventsResponse: accepted is a required usize; rejected and session_status, when present, must fit their types.</summary>
    private static long EventsAccepted(JsonElement answer)
    {
        var accepted = RequireInteger(answer, "accepted");
        Assert.True(accepted >= 0, $"accepted is not a usize: {answer}");
        if (answer.TryGetProperty("rejected", out var rejected))
        {
            Assert.True(rejected.ValueKind == JsonValueKind.Number && rejected.GetInt64() >= 0, $"rejected is not a usize: {answer}");
        }

        if (answer.TryGetProperty("session_status", out var status))
        {
            Assert.True(status.ValueKind is JsonValueKind.String or JsonValueKind.Null, $"session_status is not an Option<String>: {answer}");
        }

        return accepted;
    }

    /// <summary>get_session_status: 200 deserialized into SessionStatus, every field required with its Rust type.</summary>
    private static async Task<JsonElement> SessionStatusAsync(HttpClient http, string path, string sessionId)
    {
        using var response = await GetWithJsonContentTypeAsync(http, path);
        var status = await ExpectAsync(response, 200, "get_session_status");
        Assert.Equal(sessionId, RequireString(status, "session_id"));
        var lastSequence = RequireInteger(status, "last_sequence");
        Assert.InRange(lastSequence, int.MinValue, int.MaxValue); // i32
        RequireInteger(status, "event_count");
        RequireString(status, "status");
        return status;
    }

    // ---- aiobscura's local messages and their conversion ----

    private sealed record LocalMessage(
        DateTimeOffset EmittedAt, DateTimeOffset ObservedAt, int ObservedExtraNanoseconds, string AuthorRole, string MessageType,
        string? Content, string? ToolName = null, JsonObject? ToolInput = null, string? ToolResult = null, long? TokensIn = null,
        long? TokensOut = null, JsonObject? RawData = null, JsonObject? Metadata = null);

    /// <summary>build_session_start_event: keys of a serde_json Map (sorted), no event_hash, observed now.</summary>
    private static JsonObject SessionStartEvent()
    {
        var data = (JsonObject)SortedKeys(new JsonObject
        {
            ["agent_type"] = "claude_code",
            ["agent_version"] = Version,
            ["working_directory"] = "/Users/carol/src/payments-api",
            ["git_branch"] = "main",
            ["slug"] = "quiet-ledger-hopper",
            ["summaries"] = new JsonArray(new JsonObject { ["leafUuid"] = "9b1f4c2e-8d7a-4e3b-a6f5-0c2d1e9b8a7f", ["summary"] = "Idempotent refunds", ["type"] = "summary" }),
        })!;
        return new JsonObject
        {
            ["type"] = "session_start",
            ["emitted_at"] = ChronoRfc3339(StartedAt),
            ["observed_at"] = ChronoRfc3339(Microseconds(DateTimeOffset.UtcNow), 17),
            ["data"] = data,
        };
    }

    /// <summary>CollectorEvent::from_message.</summary>
    private static JsonObject FromMessage(LocalMessage message)
    {
        var eventType = message.MessageType switch
        {
            "tool_call" => "tool_call",
            "tool_result" => "tool_result",
            "error" => "error",
            _ => "message",
        };
        var data = new JsonObject();
        switch (message.MessageType)
        {
            case "tool_call":
                data["tool_name"] = message.ToolName ?? "unknown";
                if (message.Metadata?["tool_use_id"] is { } callId)
                {
                    data["tool_use_id"] = callId.DeepClone();
                }

                if (message.ToolInput is not null)
                {
                    data["parameters"] = message.ToolInput.DeepClone();
                }

                break;
            case "tool_result":
                if (message.Metadata?["tool_use_id"] is { } resultId)
                {
                    data["tool_use_id"] = resultId.DeepClone();
                }

                var success = !(message.Metadata?["is_error"]?.GetValue<bool>() ?? false);
                data["success"] = success;
                if (message.ToolResult is not null)
                {
                    data["result"] = message.ToolResult;
                }

                if (!success && message.Content is not null)
                {
                    data["error_message"] = message.Content;
                }

                break;
            case "error":
                data["error_type"] = message.Metadata?["error_type"]?.DeepClone() ?? "unknown";
                if (message.Content is not null)
                {
                    data["message"] = message.Content;
                }

                break;
            default:
                data["author_role"] = message.AuthorRole;
                data["message_type"] = message.MessageType;
                if (message.Content is not null)
                {
                    data["content"] = message.Content;
                }

                if (message.TokensIn is { } tokensIn)
                {
                    data["token_usage"] = new JsonObject { ["input_tokens"] = tokensIn, ["output_tokens"] = message.TokensOut ?? 0 };
                }

                if (message.RawData is not null)
                {
                    data["raw_data"] = message.RawData.DeepClone();
                }

                break;
        }

        var sorted = (JsonObject)SortedKeys(data)!;
        var hash = Sha256Hex32($"{eventType}:{ChronoRfc3339(message.EmittedAt, serde: false)}:{SerdeJsonToString(sorted)}");
        return new JsonObject
        {
            ["type"] = eventType,
            ["emitted_at"] = ChronoRfc3339(message.EmittedAt),
            ["observed_at"] = ChronoRfc3339(message.ObservedAt, message.ObservedExtraNanoseconds),
            ["event_hash"] = hash,
            ["data"] = sorted,
        };
    }

    /// <summary>
    /// A Claude Code session as aiobscura's parser stores it: context, nine turns (prompt, response, Bash call and
    /// result), then a plan, a Task sub-agent (caller prompt, its tool, its answer), an API error, a summary and a
    /// last answer. Claude Code logs have millisecond timestamps; observed_at has nanoseconds.
    /// </summary>
    private static List<LocalMessage> LocalMessages()
    {
        var observedBase = Microseconds(DateTimeOffset.UtcNow.AddSeconds(-30));
        var list = new List<LocalMessage>();
        var clock = StartedAt;

        void Add(string role, string type, string? content, string? toolName = null, JsonObject? toolInput = null, string? toolResult = null,
            long? tokensIn = null, long? tokensOut = null, JsonObject? metadata = null, bool raw = true)
        {
            clock = clock.AddMilliseconds(1_537);
            var index = list.Count;
            var rawData = raw
                ? new JsonObject
                {
                    ["type"] = role == "human" ? "user" : "assistant",
                    ["uuid"] = $"0e5c6a1b-2f3d-4c8e-9a7b-{index:D12}",
                    ["timestamp"] = ChronoRfc3339(clock),
                    ["sessionId"] = "local",
                    ["message"] = new JsonObject { ["role"] = role == "human" ? "user" : "assistant", ["model"] = Model },
                }
                : null;
            list.Add(new LocalMessage(clock, observedBase.AddMilliseconds(index * 3.25), 1 + index % 99, role, type, content, toolName, toolInput,
                toolResult, tokensIn, tokensOut, rawData, metadata));
        }

        Add("system", "context", "Loaded CLAUDE.md (payments-api conventions)", raw: false);
        for (var turn = 0; turn < 9; turn++)
        {
            var toolUseId = $"toolu_01{turn:D2}Xq7Lm3VbN8sKp2RtY6wZ";
            Add("human", "prompt", turn == 0 ? "Make refunds idempotent — le double remboursement doit être impossible" : $"Continue with step {turn}");
            Add("assistant", "response", $"Step {turn}: checking the refund path.", tokensIn: 2_000 + 10 * turn, tokensOut: 300 + turn);
            Add("assistant", "tool_call", null, "Bash", new JsonObject { ["command"] = $"go test ./refunds/... -run TestStep{turn}", ["description"] = "Run refund tests" },
                metadata: new JsonObject { ["tool_use_id"] = toolUseId }, raw: false);
            Add("tool", "tool_result", turn == 4 ? "Exit code 1" : null, "Bash", toolResult: turn == 4 ? "--- FAIL: TestStep4 (0.02s)" : "ok  \tpayments/refunds\t0.412s",
                metadata: new JsonObject { ["tool_use_id"] = toolUseId, ["is_error"] = turn == 4 }, raw: false);
        }

        Add("assistant", "plan", "1. Add an idempotency key\n2. Unique index on (order_id, key)");
        Add("caller", "prompt", "Find every caller of Refund()");
        Add("agent", "tool_call", null, "Grep", new JsonObject { ["pattern"] = "Refund\\(", ["path"] = "." },
            metadata: new JsonObject { ["tool_use_id"] = "toolu_01AgentGrep0000000000" }, raw: false);
        Add("tool", "tool_result", null, "Grep", toolResult: "refunds/service.go\nrefunds/handler.go",
            metadata: new JsonObject { ["tool_use_id"] = "toolu_01AgentGrep0000000000" }, raw: false);
        Add("agent", "response", "Two callers: service.go and handler.go.", tokensIn: 900, tokensOut: 45);
        Add("system", "error", "API Error: 529 overloaded_error", metadata: new JsonObject { ["error_type"] = "overloaded_error" }, raw: false);
        Add("system", "summary", "Refunds are idempotent via a unique key.");
        Add("assistant", "response", "Done. Refunds are now idempotent.", tokensIn: 2_400, tokensOut: 120);
        return list;
    }
}
