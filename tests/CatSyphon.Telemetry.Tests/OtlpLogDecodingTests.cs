using System.Text.Json;
using CatSyphon.Protocol.Parsing;
using CatSyphon.Telemetry.Otlp;
using static CatSyphon.Telemetry.Tests.OtlpFixtures;

namespace CatSyphon.Telemetry.Tests;

/// <summary>Agent events as both agents send them, in both encodings, normalised to one vocabulary.</summary>
public class OtlpLogDecodingTests
{
    private const string ClaudeSession = "0b1e4d3c-7a7e-4c55-9d1a-2f6f1c3e9a01";
    private const string CodexConversation = "019ae3f1-5c2b-7d10-8e4f-3a2b1c0d9e8f";

    [Theory]
    [InlineData(OtlpEncoding.Json)]
    [InlineData(OtlpEncoding.Protobuf)]
    public void Claude_code_events_keep_their_short_name_session_person_and_coerced_measures(OtlpEncoding encoding)
    {
        var decoded = Logs("claude-code-logs.json", encoding);

        Assert.Equal(0, decoded.Rejected);
        Assert.Equal(["user_prompt", "api_request", "tool_decision", "tool_result", "api_error"], decoded.Events.Select(e => e.Name));
        Assert.All(decoded.Events, e => Assert.Equal(AgentTypes.ClaudeCode, e.Agent));
        Assert.All(decoded.Events, e => Assert.Equal(ClaudeSession, e.SessionId));

        var prompt = decoded.Events[0];
        Assert.Equal(At(1_765_000_000), prompt.OccurredAt);
        Assert.Equal("ada@example.com", prompt.UserEmail);
        Assert.Equal("7f0d2c4e-1111-4222-8333-944455556666", prompt.AccountId);

        // intValue as a JSON number (120) and as a string ("45"), a count in stringValue ("1000"), a double cost,
        // a duration in stringValue ("1493").
        var request = decoded.Events[1];
        Assert.Equal("claude-sonnet-4-5", request.Model);
        Assert.Equal(120, request.InputTokens);
        Assert.Equal(45, request.OutputTokens);
        Assert.Equal(1000, request.CacheReadTokens);
        Assert.Equal(0, request.CacheCreationTokens);
        Assert.Equal(0.0123, request.CostUsd);
        Assert.Equal(1493, request.DurationMs);
        Assert.False(request.IsApiError);

        var decision = decoded.Events[2];
        Assert.Equal(("Edit", TelemetryDecisions.Reject, "user_reject"), (decision.ToolName, decision.Decision, decision.DecisionSource));

        var result = decoded.Events[3];
        Assert.True(result.Success);
        Assert.Equal(250, result.DurationMs);
        Assert.Null(result.Decision);

        var error = decoded.Events[4];
        Assert.True(error.IsApiError);
        Assert.Equal(529, error.StatusCode);
        Assert.Equal(30000.5, error.DurationMs);
    }

    [Fact]
    public void Claude_code_events_keep_their_attributes_with_the_resources_but_never_prompt_or_tool_contents()
    {
        var events = Logs("claude-code-logs.json", OtlpEncoding.Json).Events;

        using var prompt = JsonDocument.Parse(events[0].Attributes);
        Assert.Equal("30", prompt.RootElement.GetProperty("prompt_length").GetString());
        Assert.Equal(1, prompt.RootElement.GetProperty("event.sequence").GetInt64());
        Assert.Equal("claude-code", prompt.RootElement.GetProperty("service.name").GetString());
        Assert.False(prompt.RootElement.TryGetProperty("prompt", out _));

        using var result = JsonDocument.Parse(events[3].Attributes);
        Assert.False(result.RootElement.TryGetProperty("tool_input", out _));
        Assert.Equal("toolu_01", JsonDocument.Parse(events[2].Attributes).RootElement.GetProperty("tool_use_id").GetString());
    }

    [Theory]
    [InlineData(OtlpEncoding.Json)]
    [InlineData(OtlpEncoding.Protobuf)]
    public void Codex_events_are_named_by_their_event_name_attribute_and_their_string_counts_coerced(OtlpEncoding encoding)
    {
        var decoded = Logs("codex-logs.json", encoding);

        Assert.Equal(0, decoded.Rejected);
        Assert.Equal(
            ["conversation_starts", "api_request", "api_request", "sse_event", "tool_decision", "tool_decision", "tool_result"],
            decoded.Events.Select(e => e.Name));
        Assert.All(decoded.Events, e => Assert.Equal((AgentTypes.Codex, CodexConversation), (e.Agent!, e.SessionId!)));
        Assert.All(decoded.Events, e => Assert.Equal(("grace@example.com", "acct-42"), (e.UserEmail!, e.AccountId!)));

        var (ok, failed) = (decoded.Events[1], decoded.Events[2]);
        Assert.Equal((200, 812.0, false), (ok.StatusCode!.Value, ok.DurationMs!.Value, ok.IsApiError));
        Assert.Equal((500, true), (failed.StatusCode!.Value, failed.IsApiError));

        var completed = decoded.Events[3];
        Assert.Equal((1200L, 30L, 800L), (completed.InputTokens!.Value, completed.OutputTokens!.Value, completed.CacheReadTokens!.Value));

        Assert.Equal((TelemetryDecisions.Accept, "user"), (decoded.Events[4].Decision!, decoded.Events[4].DecisionSource!));
        Assert.Equal(TelemetryDecisions.Reject, decoded.Events[5].Decision);
        Assert.Equal((true, 31.0), (decoded.Events[6].Success!.Value, decoded.Events[6].DurationMs!.Value));
        Assert.DoesNotContain("\"output\"", decoded.Events[6].Attributes);
        Assert.DoesNotContain("\"arguments\"", decoded.Events[6].Attributes);
    }

    [Theory]
    [InlineData(OtlpEncoding.Json)]
    [InlineData(OtlpEncoding.Protobuf)]
    public void The_specification_log_example_is_kept_as_a_plain_log_with_every_attribute_type(OtlpEncoding encoding)
    {
        var decoded = Logs("otlp-proto-example-logs.json", encoding);

        var log = Assert.Single(decoded.Events);
        Assert.Equal(0, decoded.Rejected);
        Assert.Equal((OtlpLogNormaliser.UnnamedEvent, (string?)null, (string?)null), (log.Name, log.Agent, log.SessionId));
        Assert.Equal(new DateTimeOffset(2018, 12, 13, 14, 51, 0, 300, TimeSpan.Zero), log.OccurredAt);
        using var attributes = JsonDocument.Parse(log.Attributes);
        var root = attributes.RootElement;
        Assert.Equal("some string", root.GetProperty("string.attribute").GetString());
        Assert.True(root.GetProperty("boolean.attribute").GetBoolean());
        Assert.Equal(10, root.GetProperty("int.attribute").GetInt64());
        Assert.Equal(637.704, root.GetProperty("double.attribute").GetDouble());
        Assert.Equal("[\"many\",\"values\"]", root.GetProperty("array.attribute").GetString());
        Assert.Equal("{\"some.map.key\":\"some value\"}", root.GetProperty("map.attribute").GetString());
        Assert.Equal("my.service", root.GetProperty("service.name").GetString());
    }

    [Fact]
    public void The_specification_event_example_is_named_by_its_event_name_field()
    {
        var decoded = Logs("otlp-proto-example-events.json", OtlpEncoding.Protobuf);

        Assert.Equal("browser.page_view", Assert.Single(decoded.Events).Name);
    }
}
