// Compatibility with CatSyphon's Python collector SDK (catsyphon-sdk), sending exactly what it sends.
//
// Payload shapes derived from these public sources (read for this test; no code copied):
//   kulesh/catsyphon  sdk/python/catsyphon-sdk/src/catsyphon_sdk/client.py
//       CollectorClient.register (anonymous POST /collectors, collector_type "sdk", version "0.1.0"), default headers
//       (Authorization, X-Collector-ID, Content-Type), send_events, get_session_status (404 -> None),
//       complete_session ({final_sequence, outcome, summary}).
//   kulesh/catsyphon  sdk/python/catsyphon-sdk/src/catsyphon_sdk/session.py
//       Session: sequence from 1 per event, emitted_at/observed_at = datetime.now(timezone.utc), auto-flush at 20,
//       tool_use_id "tool_<sequence>", complete(): flush, then a session_end event flushed alone, then /complete
//       with final_sequence = the last sequence.
//   kulesh/catsyphon  sdk/python/catsyphon-sdk/src/catsyphon_sdk/models.py
//       Event and the data models; the answers it validates: RegisterResponse (collector_id UUID, api_key,
//       api_key_prefix, created_at datetime), EventsResponse (accepted, last_sequence, conversation_id UUID),
//       SessionStatusResponse (session_id, conversation_id, last_sequence, event_count, first_event_at and
//       last_event_at required datetimes, status), SessionCompleteResponse (session_id, conversation_id, status,
//       total_events).
//   kulesh/catsyphon  sdk/python/catsyphon-sdk/src/catsyphon_sdk/retry.py (408/429/5xx retried with the same batch;
//       anything else not 2xx raises).
//   kulesh/catsyphon  docs/collector-sdk.md, docs/collectors/sdk.md (the SDK guide).
// Event.data is typed as a union of pydantic models: a data dict is validated into its model and model_dump() writes
// every optional field, so the wire carries explicit nulls ("model": null, "plans": null, ...). This was checked
// against pydantic 2.13 with the same model definitions.
using static CatSyphon.IntegrationTests.CompatibilityWire;

namespace CatSyphon.IntegrationTests;

[Collection(RunningStackCollection.Name)]
public sealed class CompatibilitySdkTests(RunningStackFixture stack)
{
    private const string Model = "claude-haiku-4-5-20251001";

    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Sdk_session_with_sequences_auto_flush_resend_status_and_final_sequence_completion()
    {
        var workspaceId = await CreateOpenWorkspaceAsync(App);

        // CollectorClient.register(server_url, workspace_id): anonymous; not is_success raises; RegisterResponse validates.
        Guid collectorId;
        string apiKey;
        using (var anonymous = AnonymousHttp(App, PythonHttpxUserAgent))
        using (var response = await PostJsonAsync(anonymous, "/collectors", new JsonObject
        {
            ["collector_type"] = "sdk",
            ["collector_version"] = "0.1.0",
            ["hostname"] = "build-agent-07",
            ["workspace_id"] = workspaceId.ToString(),
        }))
        {
            Assert.True(response.IsSuccessStatusCode, $"register raises on {(int)response.StatusCode}");
            (collectorId, apiKey) = AssertRegistrationAnswer(await ExpectAsync(response, 201, "register"), workspaceId);
        }

        using var http = CollectorHttp(App, apiKey, collectorId.ToString(), PythonHttpxUserAgent);
        var session = new SdkSession(http, $"support-{Guid.NewGuid():N}");

        // get_session_status before the first flush: 404 means None.
        using (var unknown = await GetWithJsonContentTypeAsync(http, $"/collectors/sessions/{session.SessionId}"))
        {
            Assert.Equal(404, (int)unknown.StatusCode);
        }

        // with client.session(...) as session: start, eight turns, an error, a last answer.
        await session.AddAsync("session_start", new JsonObject
        {
            ["agent_type"] = "support-bot",
            ["agent_version"] = "0.4.2",
            ["working_directory"] = "/srv/support-bot",
            ["git_branch"] = "main",
            ["parent_session_id"] = null,
            ["context_semantics"] = null,
            ["slug"] = null,
            ["summaries"] = null,
            ["compaction_events"] = null,
            ["ticket"] = "SUP-1234", // **metadata: extra fields are allowed and kept
        });
        for (var turn = 0; turn < 8; turn++)
        {
            await session.AddAsync("message", Message("human", "prompt", turn == 0 ? "Où est mon remboursement ? Commande n° 1042 🙏" : $"And item {turn}?"));
            await session.AddAsync("thinking", new JsonObject { ["content"] = $"Look up order 1042, line {turn}.", ["thinking_id"] = null });
            var toolUseId = $"tool_{session.Sequence + 1}"; // tool_call() without an id
            await session.AddAsync("tool_call", new JsonObject
            {
                ["tool_name"] = "lookup_order",
                ["tool_use_id"] = toolUseId,
                ["parameters"] = new JsonObject { ["order_id"] = 1042, ["line"] = turn },
            });
            await session.AddAsync("tool_result", new JsonObject { ["tool_use_id"] = toolUseId, ["success"] = true, ["result"] = $"line {turn}: refunded" });
            await session.AddAsync("message", Message("assistant", "response", $"Line {turn} was refunded.", Model, Usage(turn), stopReason: "end_turn"));

            if (session.Flushes.Count == 2 && session.Resent is null)
            {
                // A flush that timed out on the client after the server stored it: with_retry sends the same batch again.
                await session.ResendLastBatchAsync();

                // get_session_status, as a resuming caller does.
                var midway = await SessionStatusAsync(http, session.SessionId, "active", 40);
                Assert.Equal(session.ConversationId, RequireUuid(midway, "conversation_id"));
            }
        }

        await session.AddAsync("error", new JsonObject { ["error_type"] = "RateLimitError", ["message"] = "429 from the payments API, retried", ["details"] = null });
        await session.AddAsync("message", Message("assistant", "response", "Everything on order 1042 is refunded.", Model, Usage(9), stopReason: "end_turn"));
        Assert.Equal(43, session.Sequence);

        // complete(): flush 41..43, then session_end (total_messages = 43) flushed alone, then /complete with final_sequence 44.
        await session.FlushAsync();
        await session.AddAsync("session_end", new JsonObject
        {
            ["outcome"] = "success",
            ["summary"] = "Refund issued for order 1042",
            ["total_messages"] = 43,
            ["plans"] = null,
            ["files_touched"] = null,
        });
        await session.FlushAsync();
        Assert.Equal(new[] { 20, 20, 3, 1 }, session.Flushes.Select(f => f.Count));
        Assert.Equal(new long[] { 20, 40, 43, 44 }, session.Flushes.Select(f => f.LastSequence));

        JsonElement completed;
        using (var response = await PostJsonAsync(http, $"/collectors/sessions/{session.SessionId}/complete", new JsonObject
        {
            ["final_sequence"] = session.Sequence,
            ["outcome"] = "success",
            ["summary"] = "Refund issued for order 1042",
        }))
        {
            // check_response: anything but 2xx raises; SessionCompleteResponse validates.
            completed = await ExpectAsync(response, 200, "complete_session");
        }

        Assert.Equal(session.SessionId, RequireString(completed, "session_id"));
        Assert.Equal(session.ConversationId, RequireUuid(completed, "conversation_id"));
        Assert.Equal("completed", RequireString(completed, "status"));
        Assert.Equal(44, RequireInteger(completed, "total_events"));

        var done = await SessionStatusAsync(http, session.SessionId, "completed", 44);
        Assert.Equal(44, RequireInteger(done, "event_count"));

        // PostgreSQL catches up with everything answered 202.
        var row = await WaitForStoredConversationAsync(App, () => SessionStatusAsync(http, session.SessionId, "completed", 44), 44,
            workspaceId, collectorId, session.SessionId, session.ConversationId);
        Assert.Equal("success", row["outcome"]);
        Assert.Equal("Refund issued for order 1042", row["summary"]);
        Assert.Equal(
            new ConversationColumns("support-bot", "0.4.2", "/srv/support-bot", "main", Slug: null, Events: 44, Messages: 17, ToolCalls: 8),
            ConversationColumns.Of(row));
        Assert.Null(row["parent_session_id"]); // an explicit null is no parent
        var tokens = await ConversationTokensAsync(App, session.ConversationId);
        Assert.Equal(Enumerable.Range(0, 8).Append(9).Sum(t => 800L + t), (long)tokens["input_tokens"]!);
        Assert.Equal(Enumerable.Range(0, 8).Append(9).Sum(t => 120L + t), (long)tokens["output_tokens"]!);
        Assert.True((bool)row["has_errors"]!); // the error event

        // Stored order and numbering are the SDK's sequences.
        var messages = await MessagesAsync(App, session.ConversationId);
        Assert.Equal(Enumerable.Range(1, 44).Select(i => (long)i), messages.Select(m => (long)m["sequence"]!));
        Assert.Equal(session.Types, messages.Select(m => (string)m["event_type"]!));
        Assert.Equal(44, messages.Select(m => (string)m["event_hash"]!).Distinct().Count());
        Assert.Equal("SUP-1234", JsonDocument.Parse((string)messages[0]["raw_json"]!).RootElement.GetProperty("ticket").GetString());

        var prompt = messages[1];
        Assert.Equal("human", prompt["role"]);
        Assert.Equal("prompt", prompt["message_type"]);
        Assert.Equal("Où est mon remboursement ? Commande n° 1042 🙏", prompt["content"]);
        Assert.Null(prompt["model"]); // "model": null is no model, not the text "null"
        Assert.Null(prompt["input_tokens"]);
        Assert.Equal("Look up order 1042, line 0.", messages[2]["thinking"]);
        var answer = messages[5];
        Assert.Equal("assistant", answer["role"]);
        Assert.Equal(Model, answer["model"]);
        Assert.Equal(800L, (long)answer["input_tokens"]!);
        Assert.Equal(4096L, (long)answer["cache_read_tokens"]!);
        Assert.Equal("end_turn", answer["stop_reason"]);
        Assert.Equal("error", messages[41]["event_type"]);
        Assert.Equal("429 from the payments API, retried", messages[41]["content"]);

        var tools = await ToolCallsAsync(App, session.ConversationId);
        Assert.Equal(8, tools.Count);
        var first = Assert.Single(tools, t => (string)t["tool_use_id"]! == "tool_4");
        Assert.Equal("lookup_order", first["tool_name"]);
        Assert.Equal("line 0: refunded", first["result"]);
        Assert.True((bool)first["success"]!);
        Assert.Equal(1042, JsonDocument.Parse((string)first["parameters_json"]!).RootElement.GetProperty("order_id").GetInt32());
    }

    /// <summary>get_session_status: 200 validated as SessionStatusResponse (both timestamps required).</summary>
    private static async Task<JsonElement> SessionStatusAsync(HttpClient http, string sessionId, string expectedStatus, long expectedSequence)
    {
        using var response = await GetWithJsonContentTypeAsync(http, $"/collectors/sessions/{sessionId}");
        var status = await ExpectAsync(response, 200, "get_session_status");
        Assert.Equal(sessionId, RequireString(status, "session_id"));
        RequireUuid(status, "conversation_id");
        Assert.Equal(expectedSequence, RequireInteger(status, "last_sequence"));
        RequireInteger(status, "event_count");
        var first = RequireTimestamp(status, "first_event_at");
        var last = RequireTimestamp(status, "last_event_at");
        Assert.True(first <= last, $"first_event_at after last_event_at: {status}");
        Assert.Equal(expectedStatus, RequireString(status, "status"));
        return status;
    }

    /// <summary>MessageData dumped in full: every optional field present, null when not given.</summary>
    private static JsonObject Message(string role, string type, string content, string? model = null, JsonObject? usage = null, string? stopReason = null) => new()
    {
        ["author_role"] = role,
        ["message_type"] = type,
        ["content"] = content,
        ["model"] = model,
        ["token_usage"] = usage,
        ["thinking_content"] = null,
        ["stop_reason"] = stopReason,
        ["thinking_metadata"] = null,
    };

    /// <summary>token_usage is dict[str, int] in the SDK: integers only.</summary>
    private static JsonObject Usage(int turn) => new()
    {
        ["input_tokens"] = 800 + turn,
        ["output_tokens"] = 120 + turn,
        ["cache_read_input_tokens"] = 4096,
    };

    /// <summary>The SDK's Session: numbering, auto-flush at 20 and what each flush requires of the answer.</summary>
    private sealed class SdkSession(HttpClient http, string sessionId)
    {
        private const int BatchSize = 20;
        private readonly List<JsonObject> pending = [];
        private string? lastBatch;

        public string SessionId { get; } = sessionId;

        public long Sequence { get; private set; }

        public Guid ConversationId { get; private set; }

        public List<string> Types { get; } = [];

        public List<(int Count, long LastSequence)> Flushes { get; } = [];

        public JsonElement? Resent { get; private set; }

        public async Task AddAsync(string type, JsonObject data)
        {
            Sequence++;
            Types.Add(type);
            pending.Add(new JsonObject
            {
                ["sequence"] = Sequence,
                ["type"] = type,
                ["emitted_at"] = PythonIsoformat(PythonNow()),
                ["observed_at"] = PythonIsoformat(PythonNow()),
                ["data"] = data,
            });
            if (pending.Count >= BatchSize)
            {
                await FlushAsync();
            }
        }

        public async Task FlushAsync()
        {
            if (pending.Count == 0)
            {
                return;
            }

            lastBatch = Json(new JsonObject { ["session_id"] = SessionId, ["events"] = new JsonArray(pending.ToArray<JsonNode?>()) });
            var count = pending.Count;
            using var response = await PostJsonAsync(http, "/collectors/events", lastBatch);
            var answer = await ExpectAsync(response, 202, $"flush of {count} events ending at {Sequence}");
            Assert.Equal(count, RequireInteger(answer, "accepted"));
            Assert.Equal(Sequence, RequireInteger(answer, "last_sequence"));
            var conversationId = RequireUuid(answer, "conversation_id");
            Assert.True(ConversationId == Guid.Empty || ConversationId == conversationId, "the conversation changed between flushes");
            ConversationId = conversationId;
            Assert.All(answer.GetProperty("warnings").EnumerateArray(), w => Assert.Equal(JsonValueKind.String, w.ValueKind));
            Flushes.Add((count, Sequence));
            pending.Clear();
        }

        public async Task ResendLastBatchAsync()
        {
            using var response = await PostJsonAsync(http, "/collectors/events", lastBatch!);
            var answer = await ExpectAsync(response, 202, "resent batch");
            Assert.Equal(0, RequireInteger(answer, "accepted"));
            Assert.Equal(20, RequireInteger(answer, "duplicates"));
            Assert.Equal(Flushes[^1].LastSequence, RequireInteger(answer, "last_sequence"));
            Assert.Equal(ConversationId, RequireUuid(answer, "conversation_id"));
            Resent = answer;
        }
    }
}
