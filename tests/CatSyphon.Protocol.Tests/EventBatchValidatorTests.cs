using System.Text.Json;
using static CatSyphon.Protocol.Tests.TestJson;

namespace CatSyphon.Protocol.Tests;

public class EventBatchValidatorTests
{
    private static readonly string[] AllTypesValid =
    [
        Event("session_start", """{"agent_type":"claude_code","agent_version":"1.0"}"""),
        Event("message", """{"author_role":"human","message_type":"prompt","content":"hi"}"""),
        Event("tool_call", """{"tool_name":"Read","tool_use_id":"t1","parameters":{"path":"/x"}}"""),
        Event("tool_result", """{"tool_use_id":"t1","success":true}"""),
        Event("thinking", """{"content":"hmm"}"""),
        Event("error", """{"message":"boom"}"""),
        Event("metadata", """{"k":"v"}"""),
        Event("session_end", """{"outcome":"success"}"""),
    ];

    private static void AssertInvalid(EventBatchValidationResult result, string key)
    {
        Assert.Equal(EventBatchValidationStatus.Invalid, result.Status);
        Assert.False(result.IsValid);
        Assert.Contains(key, result.Errors.Keys);
        Assert.NotEmpty(result.Errors[key]);
        Assert.Empty(result.Events);
        Assert.Empty(result.Warnings);
        Assert.Null(result.SessionId);
    }

    [Fact]
    public void A_batch_of_every_type_is_valid_and_normalized()
    {
        var result = Validate(BatchJson(AllTypesValid));

        Assert.Equal(EventBatchValidationStatus.Valid, result.Status);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal("s1", result.SessionId);
        Assert.False(result.HasSequences);
        Assert.Equal(
            [
                EventType.SessionStart, EventType.Message, EventType.ToolCall, EventType.ToolResult,
                EventType.Thinking, EventType.Error, EventType.Metadata, EventType.SessionEnd,
            ],
            result.Events.Select(e => e.Type));
        Assert.Equal(["session_start", "message", "tool_call", "tool_result", "thinking", "error", "metadata", "session_end"], result.Events.Select(e => e.TypeName));
        Assert.Equal(Enumerable.Range(0, 8), result.Events.Select(e => e.Index));

        var message = result.Events[1];
        Assert.Equal("human", message.AuthorRole);
        Assert.Equal("prompt", message.MessageType);
        Assert.Null(result.Events[0].AuthorRole);
        Assert.Null(result.Events[0].MessageType);
        Assert.All(result.Events, e => Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), e.EmittedAt));
        Assert.All(result.Events, e => Assert.Null(e.Sequence));
        Assert.All(result.Events, e => Assert.False(e.IsClientHash));
        Assert.All(result.Events, e => Assert.Matches("^[0-9a-f]{64}$", e.EventHash));
    }

    [Fact]
    public void Data_is_kept_as_sent_including_extra_fields_and_whitespace()
    {
        const string data = """{ "author_role" : "assistant", "message_type":"response", "content":"caf\u00e9\n", "x_custom": {"deep": [1, 2.50, null]} }""";
        var result = Validate(BatchJson(Event("message", data)));

        Assert.True(result.IsValid);
        Assert.Equal(data, result.Events[0].Data);
    }

    [Fact]
    public void Missing_or_null_data_is_an_empty_object_for_types_without_required_fields()
    {
        var result = Validate(BatchJson(
            """{"type":"metadata","emitted_at":"2026-01-01T00:00:00Z"}""",
            """{"type":"thinking","emitted_at":"2026-01-01T00:00:00Z","data":null}"""));

        Assert.True(result.IsValid);
        Assert.Equal("{}", result.Events[0].Data);
        Assert.Equal("{}", result.Events[1].Data);
        Assert.Equal(EventHash.Compute(EventType.Metadata, result.Events[0].EmittedAt, Element("{}")), result.Events[0].EventHash);
    }

    [Fact]
    public void Missing_data_still_requires_the_fields_of_its_type()
    {
        AssertInvalid(Validate(BatchJson("""{"type":"tool_result","emitted_at":"2026-01-01T00:00:00Z"}""")), "events[0].data.tool_use_id");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("true")]
    public void Data_must_be_an_object(string data)
    {
        AssertInvalid(Validate(BatchJson(Event("metadata", data))), "events[0].data");
    }

    [Fact]
    public void Fifty_events_are_accepted()
    {
        var result = Validate(BatchJson(Enumerable.Range(0, 50).Select(_ => Metadata()).ToArray()));
        Assert.True(result.IsValid);
        Assert.Equal(50, result.Events.Count);
        Assert.Equal(50, ProtocolLimits.MaxEventsPerBatch);
    }

    [Fact]
    public void Fifty_one_events_are_too_many_not_invalid()
    {
        var result = Validate(BatchJson(Enumerable.Range(0, 51).Select(_ => Metadata()).ToArray()));
        Assert.Equal(EventBatchValidationStatus.TooManyEvents, result.Status);
        Assert.False(result.IsValid);
        Assert.Contains("events", result.Errors.Keys);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void Too_many_wins_over_other_errors()
    {
        var batch = $$"""{"events":[{{string.Join(",", Enumerable.Range(0, 51).Select(_ => """{"type":"bogus"}"""))}}]}""";
        Assert.Equal(EventBatchValidationStatus.TooManyEvents, Validate(batch).Status);
    }

    [Fact]
    public void The_limit_can_be_lowered()
    {
        var result = EventBatchValidator.Validate(Batch(BatchJson(Metadata(), Metadata(), Metadata())), Now, maxEvents: 2);
        Assert.Equal(EventBatchValidationStatus.TooManyEvents, result.Status);
    }

    [Fact]
    public void Zero_events_are_invalid_not_too_many()
    {
        AssertInvalid(Validate("""{"session_id":"s1","events":[]}"""), "events");
    }

    [Fact]
    public void Missing_events_is_invalid()
    {
        AssertInvalid(Validate("""{"session_id":"s1"}"""), "events");
        AssertInvalid(Validate("""{"session_id":"s1","events":null}"""), "events");
    }

    [Fact]
    public void Null_batch_is_invalid()
    {
        var result = EventBatchValidator.Validate(null, Now);
        Assert.Equal(EventBatchValidationStatus.Invalid, result.Status);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void A_null_event_is_invalid()
    {
        AssertInvalid(Validate(BatchJson(Metadata(), "null")), "events[1]");
        AssertInvalid(Validate(BatchJson(Metadata(",\"sequence\":1"), "null", Metadata(",\"sequence\":3"))), "events[1]");
    }

    [Theory]
    [InlineData("""{"events":[]}""")]
    [InlineData("""{"session_id":null,"events":[]}""")]
    [InlineData("""{"session_id":"","events":[]}""")]
    public void Session_id_is_required(string json)
    {
        // Built with one valid event so session_id is the only problem.
        var withEvent = json.Replace("[]", $"[{Metadata()}]", StringComparison.Ordinal);
        AssertInvalid(Validate(withEvent), "session_id");
    }

    [Fact]
    public void Session_id_length_limit_is_255()
    {
        var ok = Validate($$"""{"session_id":"{{new string('a', 255)}}","events":[{{Metadata()}}]}""");
        Assert.True(ok.IsValid);
        Assert.Equal(255, ok.SessionId!.Length);

        AssertInvalid(Validate($$"""{"session_id":"{{new string('a', 256)}}","events":[{{Metadata()}}]}"""), "session_id");
    }

    [Fact]
    public void Unknown_type_is_invalid()
    {
        var result = Validate(BatchJson(Event("chat", "{}")));
        AssertInvalid(result, "events[0].type");
        Assert.Contains("chat", result.Errors["events[0].type"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"emitted_at":"2026-01-01T00:00:00Z","data":{}}""")]
    [InlineData("""{"type":"","emitted_at":"2026-01-01T00:00:00Z","data":{}}""")]
    [InlineData("""{"type":"Message","emitted_at":"2026-01-01T00:00:00Z","data":{}}""")]
    public void Type_is_required_and_exact(string ev)
    {
        AssertInvalid(Validate(BatchJson(ev)), "events[0].type");
    }

    [Theory]
    [InlineData("session_start", "{}", "events[0].data.agent_type")]
    [InlineData("session_start", """{"agent_type":""}""", "events[0].data.agent_type")]
    [InlineData("session_start", """{"agent_type":null}""", "events[0].data.agent_type")]
    [InlineData("session_start", """{"agent_type":7}""", "events[0].data.agent_type")]
    [InlineData("message", """{"message_type":"prompt"}""", "events[0].data.author_role")]
    [InlineData("message", """{"author_role":"","message_type":"prompt"}""", "events[0].data.author_role")]
    [InlineData("message", """{"author_role":"human"}""", "events[0].data.message_type")]
    [InlineData("message", """{"author_role":"human","message_type":""}""", "events[0].data.message_type")]
    [InlineData("tool_call", """{"tool_use_id":"t1"}""", "events[0].data.tool_name")]
    [InlineData("tool_call", """{"tool_name":"Read"}""", "events[0].data.tool_use_id")]
    [InlineData("tool_call", """{"tool_name":"Read","tool_use_id":""}""", "events[0].data.tool_use_id")]
    [InlineData("tool_result", """{"success":true}""", "events[0].data.tool_use_id")]
    [InlineData("tool_result", """{"tool_use_id":""}""", "events[0].data.tool_use_id")]
    [InlineData("tool_result", """{"tool_use_id":["t1"]}""", "events[0].data.tool_use_id")]
    [InlineData("session_end", "{}", "events[0].data.outcome")]
    [InlineData("session_end", """{"outcome":""}""", "events[0].data.outcome")]
    public void Required_data_fields(string type, string data, string key)
    {
        AssertInvalid(Validate(BatchJson(Event(type, data))), key);
    }

    [Fact]
    public void Message_missing_both_fields_reports_both()
    {
        var result = Validate(BatchJson(Event("message", "{}")));
        AssertInvalid(result, "events[0].data.author_role");
        Assert.Contains("events[0].data.message_type", result.Errors.Keys);
    }

    [Theory]
    [InlineData("thinking")]
    [InlineData("error")]
    [InlineData("metadata")]
    public void Types_without_required_fields_accept_empty_data(string type)
    {
        Assert.True(Validate(BatchJson(Event(type, "{}"))).IsValid);
    }

    [Theory]
    [InlineData("human", "human")]
    [InlineData("user", "human")]
    [InlineData("caller", "caller")]
    [InlineData("assistant", "assistant")]
    [InlineData("agent", "agent")]
    [InlineData("tool", "tool")]
    [InlineData("system", "system")]
    public void Author_roles(string wire, string normalized)
    {
        var result = Validate(BatchJson(Event("message", $$"""{"author_role":"{{wire}}","message_type":"response"}""")));
        Assert.True(result.IsValid);
        Assert.Equal(normalized, result.Events[0].AuthorRole);
        // The stored data is not rewritten; the normalized role is a separate field.
        Assert.Contains($"\"{wire}\"", result.Events[0].Data, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("robot")]
    [InlineData("Human")]
    [InlineData("USER")]
    [InlineData(" human")]
    public void Other_author_roles_are_invalid(string wire)
    {
        AssertInvalid(
            Validate(BatchJson(Event("message", $$"""{"author_role":"{{wire}}","message_type":"response"}"""))),
            "events[0].data.author_role");
    }

    [Theory]
    [InlineData("prompt")]
    [InlineData("response")]
    [InlineData("tool_call")]
    [InlineData("tool_result")]
    [InlineData("plan")]
    [InlineData("summary")]
    [InlineData("context")]
    [InlineData("error")]
    public void Message_types(string wire)
    {
        var result = Validate(BatchJson(Event("message", $$"""{"author_role":"assistant","message_type":"{{wire}}"}""")));
        Assert.True(result.IsValid);
        Assert.Equal(wire, result.Events[0].MessageType);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("Prompt")]
    public void Other_message_types_are_invalid(string wire)
    {
        AssertInvalid(
            Validate(BatchJson(Event("message", $$"""{"author_role":"assistant","message_type":"{{wire}}"}"""))),
            "events[0].data.message_type");
    }

    [Fact]
    public void Author_role_is_only_checked_on_messages()
    {
        Assert.True(Validate(BatchJson(Event("metadata", """{"author_role":"robot"}"""))).IsValid);
    }

    [Fact]
    public void Client_event_hash_is_used_when_present()
    {
        var hash64 = new string('f', 64);
        var result = Validate(BatchJson(Metadata(extra: $",\"event_hash\":\"{hash64}\""), Metadata(extra: ",\"event_hash\":\"x\"")));
        Assert.True(result.IsValid);
        Assert.Equal(hash64, result.Events[0].EventHash);
        Assert.True(result.Events[0].IsClientHash);
        Assert.Equal("x", result.Events[1].EventHash);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"")] // 65
    public void Event_hash_length_is_1_to_64(string hash)
    {
        AssertInvalid(Validate(BatchJson(Metadata(extra: $",\"event_hash\":{hash}"))), "events[0].event_hash");
    }

    [Fact]
    public void Null_event_hash_means_server_hash()
    {
        var result = Validate(BatchJson(Metadata(extra: ",\"event_hash\":null")));
        Assert.True(result.IsValid);
        Assert.False(result.Events[0].IsClientHash);
        Assert.Equal(EventHash.Compute(EventType.Metadata, result.Events[0].EmittedAt, Element("""{"k":"v"}""")), result.Events[0].EventHash);
    }

    [Theory]
    [InlineData("""{"type":"metadata","data":{}}""")]
    [InlineData("""{"type":"metadata","emitted_at":null,"data":{}}""")]
    [InlineData("""{"type":"metadata","emitted_at":"soon","data":{}}""")]
    [InlineData("""{"type":"metadata","emitted_at":"2026-02-30T00:00:00Z","data":{}}""")]
    [InlineData("""{"type":"metadata","emitted_at":true,"data":{}}""")]
    [InlineData("""{"type":"metadata","emitted_at":{},"data":{}}""")]
    public void Emitted_at_is_required_and_parseable(string ev)
    {
        AssertInvalid(Validate(BatchJson(ev)), "events[0].emitted_at");
    }

    [Fact]
    public void Observed_at_is_optional_but_must_parse_when_given()
    {
        var ok = Validate(BatchJson(
            Metadata(extra: ",\"observed_at\":\"2026-01-01T02:00:00+01:00\""),
            Metadata(extra: ",\"observed_at\":null"),
            Metadata(extra: ",\"observed_at\":1767225600.25")));
        Assert.True(ok.IsValid);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero), ok.Events[0].ObservedAt);
        Assert.Null(ok.Events[1].ObservedAt);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 250, TimeSpan.Zero), ok.Events[2].ObservedAt);

        AssertInvalid(Validate(BatchJson(Metadata(extra: ",\"observed_at\":\"later\""))), "events[0].observed_at");
    }

    [Fact]
    public void Timestamps_are_normalized_to_utc()
    {
        var result = Validate(BatchJson(Event("metadata", "{}", emittedAt: "\"2026-01-01T09:30:00.123456789+09:30\"")));
        Assert.True(result.IsValid);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567), result.Events[0].EmittedAt);
        Assert.Equal(TimeSpan.Zero, result.Events[0].EmittedAt.Offset);
    }

    [Fact]
    public void Consecutive_sequences_are_valid()
    {
        var result = Validate(BatchJson(Metadata(",\"sequence\":7"), Metadata(",\"sequence\":8"), Metadata(",\"sequence\":9")));
        Assert.True(result.IsValid);
        Assert.True(result.HasSequences);
        Assert.Equal([7L, 8L, 9L], result.Events.Select(e => e.Sequence!.Value));
    }

    [Theory]
    [InlineData(new long[] { 1, 3 }, "events[1].sequence")]
    [InlineData(new long[] { 1, 2, 4 }, "events[2].sequence")]
    [InlineData(new long[] { 2, 1 }, "events[1].sequence")]
    [InlineData(new long[] { 1, 1 }, "events[1].sequence")]
    [InlineData(new long[] { 0 }, "events[0].sequence")]
    [InlineData(new long[] { -1 }, "events[0].sequence")]
    [InlineData(new long[] { 1, 0 }, "events[1].sequence")]
    [InlineData(new long[] { long.MaxValue, 1 }, "events[0].sequence")]
    public void Sequences_must_be_positive_and_consecutive(long[] sequences, string key)
    {
        var result = Validate(BatchJson(sequences.Select(s => Metadata($",\"sequence\":{s}")).ToArray()));
        AssertInvalid(result, key);
    }

    [Fact]
    public void Mixing_events_with_and_without_sequence_is_invalid()
    {
        AssertInvalid(Validate(BatchJson(Metadata(",\"sequence\":1"), Metadata())), "events");
        AssertInvalid(Validate(BatchJson(Metadata(), Metadata(",\"sequence\":1"))), "events");
        AssertInvalid(Validate(BatchJson(Metadata(",\"sequence\":1"), Metadata(",\"sequence\":null"))), "events");
    }

    [Fact]
    public void A_fractional_sequence_fails_deserialization_with_a_mappable_path()
    {
        var ex = Assert.Throws<JsonException>(() => Batch(BatchJson(Metadata(), Metadata(",\"sequence\":1.5"))));
        Assert.Equal("events[1].sequence", EventBatchValidator.ErrorKeyFromJsonPath(ex.Path));
        Assert.Equal("$", EventBatchValidator.ErrorKeyFromJsonPath("$"));
        Assert.Equal("$", EventBatchValidator.ErrorKeyFromJsonPath(null));
    }

    [Fact]
    public void Validation_is_all_or_nothing_and_reports_every_error()
    {
        var result = Validate(BatchJson(
            AllTypesValid[0],
            Event("tool_call", """{"tool_name":"Read"}"""),
            AllTypesValid[1],
            Event("bogus", "{}"),
            Event("metadata", "{}", emittedAt: "\"nope\"")));

        Assert.Equal(EventBatchValidationStatus.Invalid, result.Status);
        Assert.Empty(result.Events);
        Assert.Equal(
            ["events[1].data.tool_use_id", "events[3].type", "events[4].emitted_at"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_bad_event_with_invalid_characters_yields_no_warnings()
    {
        var result = Validate(BatchJson(Event("metadata", """{"c":"\u0000"}"""), Event("bogus", "{}")));
        AssertInvalid(result, "events[1].type");
    }

    [Fact]
    public void Sequence_and_observed_at_do_not_change_the_server_hash()
    {
        var result = Validate(BatchJson(
            Metadata(",\"sequence\":1,\"observed_at\":\"2026-01-01T00:00:01Z\""),
            Metadata(",\"sequence\":2,\"observed_at\":\"2026-06-01T00:00:00Z\"")));
        Assert.True(result.IsValid);
        Assert.Equal(result.Events[0].EventHash, result.Events[1].EventHash);
    }

    [Theory]
    [InlineData("\"2026-01-01T00:00:00Z\"")]
    [InlineData("\"2026-01-01T01:00:00+01:00\"")]
    [InlineData("\"2026-01-01T00:00:00.000000000Z\"")]
    [InlineData("1767225600")]
    [InlineData("1767225600.0")]
    public void Server_hash_is_independent_of_timestamp_format(string emittedAt)
    {
        var reference = Validate(BatchJson(Event("message", """{"author_role":"user","message_type":"prompt","content":"hi"}"""))).Events[0].EventHash;
        var result = Validate(BatchJson(Event("message", """{ "content" : "hi", "message_type":"prompt","author_role":"user", "model": null }""", emittedAt)));
        Assert.True(result.IsValid);
        Assert.Equal(reference, result.Events[0].EventHash);
    }
}
