using System.Globalization;
using static CatSyphon.Protocol.Tests.TestJson;

namespace CatSyphon.Protocol.Tests;

/// <summary>The protocol's value limits (v2.1) on event batches; issue 10's seen bugs each have a case here.</summary>
public class ValueLimitsTests
{
    public static TheoryData<string> TokenFields => [.. ProtocolLimits.TokenUsageFields];

    public static TheoryData<string> ShortTextFields => [.. ProtocolLimits.ShortTextFields];

    private static EventBatchValidationResult WithData(string data, string type = "metadata") => Validate(BatchJson(Event(type, data)));

    private static void AssertRefused(EventBatchValidationResult result, string key)
    {
        Assert.Equal(EventBatchValidationStatus.Invalid, result.Status);
        Assert.True(result.Errors.ContainsKey(key), $"expected {key}; got {string.Join(", ", result.Errors.Keys)}");
    }

    private static void AssertValid(EventBatchValidationResult result) =>
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value[0]}")));

    [Fact]
    public void Seen_four_quintillion_input_tokens_are_refused()
    {
        var result = WithData("""{"author_role":"assistant","message_type":"response","token_usage":{"input_tokens":4000000000000000000}}""", "message");
        AssertRefused(result, "events[0].data.token_usage.input_tokens");
        Assert.Contains("1,000,000,000", result.Errors["events[0].data.token_usage.input_tokens"][0]);
    }

    [Fact]
    public void Seen_usage_summing_past_int64_is_refused()
    {
        var result = WithData("""{"token_usage":{"input_tokens":5000000000000000000,"output_tokens":5000000000000000000}}""");
        AssertRefused(result, "events[0].data.token_usage.input_tokens");
        AssertRefused(result, "events[0].data.token_usage.output_tokens");
    }

    [Theory]
    [MemberData(nameof(TokenFields))]
    public void Every_token_field_is_an_integer_from_zero_to_one_billion(string field)
    {
        foreach (var bad in new[] { "-1", "1000000001", "1.5", "\"5\"", "true", "{}", "[1]", "1e10", "-0.5", "4000000000000000000", "1e400" })
        {
            AssertRefused(WithData($$$"""{"token_usage":{"{{{field}}}":{{{bad}}}}}"""), $"events[0].data.token_usage.{field}");
        }

        foreach (var good in new[] { "0", "1000000000", "5.0", "1e3", "null" })
        {
            AssertValid(WithData($$$"""{"token_usage":{"{{{field}}}":{{{good}}}}}"""));
        }
    }

    [Fact]
    public void Token_limits_hold_on_any_event_type_and_total_tokens_is_ignored()
    {
        AssertRefused(WithData("""{"tool_name":"Read","tool_use_id":"t1","token_usage":{"output_tokens":-7}}""", "tool_call"),
            "events[0].data.token_usage.output_tokens");
        AssertValid(WithData("""{"token_usage":{"input_tokens":1,"total_tokens":99999999999999999999,"service_tier":"standard","cache_creation":{"x":1}}}"""));
        AssertValid(WithData("""{"token_usage":null}"""));
        AssertRefused(WithData("""{"token_usage":"lots"}"""), "events[0].data.token_usage");
    }

    [Fact]
    public void Escaped_and_duplicated_names_do_not_slip_past_the_limits()
    {
        AssertRefused(WithData("""{"token_usage":{"input\u005ftokens":4000000000000000000}}"""), "events[0].data.token_usage.input_tokens");
        AssertRefused(WithData("""{"token_usage":{"input_tokens":1,"input_tokens":-1}}"""), "events[0].data.token_usage.input_tokens");
        AssertRefused(WithData($$"""{"model":"m","model":"{{new string('m', 256)}}"}"""), "events[0].data.model");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("9007199254740991")]
    public void Sequences_up_to_two_to_the_53_minus_one_are_taken(string sequence) =>
        AssertValid(Validate(BatchJson(Metadata($",\"sequence\":{sequence}"))));

    [Theory]
    [InlineData("9007199254740992")]
    [InlineData("9223372036854775807")]
    [InlineData("0")]
    [InlineData("-1")]
    public void Sequences_outside_one_to_two_to_the_53_minus_one_are_refused(string sequence) =>
        AssertRefused(Validate(BatchJson(Metadata($",\"sequence\":{sequence}"))), "events[0].sequence");

    [Theory]
    [InlineData("\"0001-01-01T00:00:00Z\"")]
    [InlineData("\"1999-12-31T23:59:59Z\"")]
    [InlineData("0")]
    [InlineData("\"2026-12-02T00:00:01Z\"")]
    [InlineData("\"9999-12-31T23:59:59Z\"")]
    public void Timestamps_outside_2000_to_a_day_after_the_server_clock_are_refused(string timestamp)
    {
        AssertRefused(Validate(BatchJson(Event("metadata", "{}", emittedAt: timestamp))), "events[0].emitted_at");
        AssertRefused(Validate(BatchJson(Metadata($",\"observed_at\":{timestamp}"))), "events[0].observed_at");
    }

    [Theory]
    [InlineData("\"2000-01-01T00:00:00Z\"")]
    [InlineData("\"2026-12-02T00:00:00Z\"")]
    [InlineData("\"2026-12-02T01:00:00+01:00\"")]
    public void Timestamps_from_2000_to_a_day_after_the_server_clock_are_taken(string timestamp)
    {
        AssertValid(Validate(BatchJson(Event("metadata", "{}", emittedAt: timestamp))));
        AssertValid(Validate(BatchJson(Metadata($",\"observed_at\":{timestamp}"))));
    }

    [Theory]
    [MemberData(nameof(ShortTextFields))]
    public void Short_text_fields_hold_255_characters(string field)
    {
        AssertValid(WithData($$"""{"{{field}}":"{{new string('a', 255)}}"}"""));
        AssertValid(WithData($$"""{"{{field}}":"{{string.Concat(Enumerable.Repeat("é", 255))}}"}"""));
        AssertValid(WithData($$"""{"{{field}}":"{{string.Concat(Enumerable.Repeat("\\u0041", 255))}}"}"""));
        AssertRefused(WithData($$"""{"{{field}}":"{{new string('a', 256)}}"}"""), $"events[0].data.{field}");
        AssertRefused(WithData($$"""{"{{field}}":"{{string.Concat(Enumerable.Repeat("\\u0041", 256))}}"}"""), $"events[0].data.{field}");
        AssertRefused(WithData($$"""{"{{field}}":{{new string('9', 256)}}}"""), $"events[0].data.{field}");
    }

    [Fact]
    public void A_developer_object_holds_short_texts()
    {
        AssertValid(WithData($$$"""{"developer":{"username":"alice","display_name":"{{{new string('A', 255)}}}"}}"""));
        AssertRefused(WithData($$$"""{"developer":{"username":"{{{new string('a', 256)}}}"}}"""), "events[0].data.developer.username");
        AssertRefused(WithData($$$"""{"developer":{"\ud800":"{{{new string('a', 256)}}}"}}"""), "events[0].data.developer.\uFFFD");
    }

    [Theory]
    [InlineData("""{"working_directory":"PATH"}""", "working_directory")]
    [InlineData("""{"cwd":"PATH"}""", "cwd")]
    [InlineData("""{"outcome":"success","files_touched":["/a","PATH"]}""", "files_touched[1]")]
    [InlineData("""{"outcome":"success","files_touched":[{"path":"PATH","change_kind":"edit"}]}""", "files_touched[0].path")]
    [InlineData("""{"outcome":"success","files_touched":[{"file_path":"PATH"}]}""", "files_touched[0].file_path")]
    [InlineData("""{"outcome":"success","plans":[{"path":"PATH"}]}""", "plans[0].path")]
    [InlineData("""{"tool_name":"Edit","tool_use_id":"t","file_change":{"path":"PATH","kind":"edit"}}""", "file_change.path")]
    [InlineData("""{"tool_name":"Write","tool_use_id":"t","plan":{"source":"plan_file","path":"PATH"}}""", "plan.path")]
    public void Paths_hold_4096_characters(string data, string field)
    {
        var type = data.Contains("outcome", StringComparison.Ordinal) ? "session_end" : data.Contains("tool_name", StringComparison.Ordinal) ? "tool_call" : "session_start";
        var start = type == "session_start" ? "\"agent_type\":\"x\"," : "";
        string With(int length) => "{" + start + data[1..].Replace("PATH", "/" + new string('p', length - 1), StringComparison.Ordinal);
        AssertValid(WithData(With(ProtocolLimits.MaxPathLength), type));
        AssertRefused(WithData(With(ProtocolLimits.MaxPathLength + 1), type), $"events[0].data.{field}");
    }

    [Fact]
    public void A_plan_given_as_text_is_content_not_a_path() =>
        AssertValid(WithData($$"""{"outcome":"success","plans":["{{new string('x', 10_000)}}"]}""", "session_end"));

    [Fact]
    public void Every_broken_limit_of_a_batch_is_named()
    {
        var result = Validate(BatchJson(
            Metadata(),
            Event("metadata", """{"token_usage":{"cache_read_tokens":-1}}"""),
            Event("metadata", "{}", emittedAt: "\"0001-01-01T00:00:00Z\"")));
        Assert.Equal(["events[1].data.token_usage.cache_read_tokens", "events[2].emitted_at"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_event_collector_skips_parsed_events_the_server_would_refuse_and_says_why()
    {
        var clock = new FixedClock(Now);
        var sink = new SessionEventCollector(clock);
        var session = new ParsedSessionRef("s1", null);
        sink.OnEvent(session, Parsed("metadata", Now.AddDays(-1), """{"token_usage":{"input_tokens":12}}"""));
        sink.OnEvent(session, Parsed("metadata", Now.AddDays(-1), """{"token_usage":{"input_tokens":4000000000000000000}}"""));
        sink.OnEvent(session, Parsed("metadata", DateTimeOffset.MinValue, "{}"));
        sink.OnEvent(session, Parsed("tool_call", Now, $$$"""{"tool_name":"Edit","tool_use_id":"t","file_change":{"path":"/{{{new string('p', 5000)}}}"}}"""));
        sink.OnEvent(session, Parsed("metadata", Now, "{}"));

        Assert.Equal(2, sink.Count);
        Assert.Equal(3, sink.Skipped);
        Assert.Equal(2, sink.BySession["s1"].Count);
        Assert.Collection(sink.Warnings,
            w => Assert.Contains("data.token_usage.input_tokens", w),
            w => Assert.Contains("emitted_at", w),
            w => Assert.Contains("data.file_change.path", w));
    }

    [Fact]
    public void The_event_collector_keeps_a_bounded_number_of_warnings()
    {
        var sink = new SessionEventCollector(new FixedClock(Now));
        for (var i = 0; i < 1000; i++)
        {
            sink.OnEvent(new ParsedSessionRef("s1", null), Parsed("metadata", Now, """{"token_usage":{"input_tokens":-1}}"""));
        }

        Assert.Equal(1000, sink.Skipped);
        Assert.Equal(SessionEventCollector.MaxWarnings, sink.Warnings.Count);
    }

    [Theory]
    [InlineData(-1L, null, "final_sequence")]
    [InlineData(null, -7L, "event_count")]
    [InlineData(long.MaxValue, null, "final_sequence")]
    [InlineData(9007199254740992L, null, "final_sequence")]
    [InlineData(null, long.MinValue, "event_count")]
    public void Seen_completion_counts_outside_zero_to_two_to_the_53_minus_one_are_refused(long? finalSequence, long? eventCount, string field)
    {
        var errors = CollectorRequestValidator.Validate(new CompleteSessionRequest("success", null, eventCount, finalSequence));
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Completion_texts_and_counts_within_the_limits_are_taken()
    {
        Assert.Empty(CollectorRequestValidator.Validate(new CompleteSessionRequest("success", new string('s', ProtocolLimits.MaxSummaryLength), 0, ProtocolLimits.MaxSequence)));
        Assert.Equal(["outcome"], CollectorRequestValidator.Validate(new CompleteSessionRequest(new string('o', 256), null, null, null)).Keys);
        Assert.Equal(["outcome"], CollectorRequestValidator.Validate(new CompleteSessionRequest(" ", null, null, null)).Keys);
        Assert.Equal(["summary"], CollectorRequestValidator.Validate(new CompleteSessionRequest("x", new string('s', ProtocolLimits.MaxSummaryLength + 1), null, null)).Keys);
    }

    [Fact]
    public void Seen_heartbeat_of_200_kilobytes_is_refused()
    {
        var big = new string('s', 200 * 1024);
        Assert.Equal(["status"], CollectorRequestValidator.Validate(new HeartbeatRequest(null, null, big)).Keys);
        Assert.Equal(["version"], CollectorRequestValidator.Validate(new HeartbeatRequest(null, big, null)).Keys);
        Assert.Equal(["queue_depth"], CollectorRequestValidator.Validate(new HeartbeatRequest(-1, null, null)).Keys);
        Assert.Equal(["queue_depth"], CollectorRequestValidator.Validate(new HeartbeatRequest(long.MaxValue, null, null)).Keys);
        Assert.Empty(CollectorRequestValidator.Validate(new HeartbeatRequest(ProtocolLimits.MaxSequence, new string('v', 255), new string('s', 255))));
    }

    private static ParsedEvent Parsed(string type, DateTimeOffset emittedAt, string data) =>
        new(type, emittedAt, "h" + data.Length.ToString(CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetBytes(data));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
