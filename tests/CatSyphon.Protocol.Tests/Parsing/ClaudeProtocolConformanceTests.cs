using System.Text.Json;
using CatSyphon.Protocol.Parsing;
using CatSyphon.Protocol.Parsing.Claude;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>Every event the Claude parser emits from real logs is accepted by the server's batch validator.</summary>
public class ClaudeProtocolConformanceTests
{
    [Fact]
    public void Events_from_real_fixtures_pass_batch_validation()
    {
        var events = new List<(ParsedSessionRef Session, ParsedEvent Event)>();
        var result = new LogTreeScanner([new ClaudeCodeLogParser()]).Scan(ClaudeCodeLogParserTests.FixtureRoot(), (s, e) => events.Add((s, e)));
        Assert.Equal(result.Events, events.Count);
        Assert.True(events.Count > 30);

        foreach (var group in events.GroupBy(e => e.Session.SessionId))
        {
            foreach (var chunk in group.Chunk(ProtocolLimits.MaxEventsPerBatch))
            {
                var batch = new EventBatch(group.Key, chunk.Select(e => (CollectorEvent?)new CollectorEvent(
                    e.Event.Type,
                    JsonSerializer.SerializeToElement(e.Event.EmittedAt.ToString("O")),
                    null,
                    null,
                    e.Event.EventHash,
                    JsonDocument.Parse(e.Event.DataJson).RootElement)).ToList());
                var validation = EventBatchValidator.Validate(batch);
                Assert.True(validation.IsValid, string.Join("; ", validation.Errors.Select(kv => $"{kv.Key}: {string.Join(",", kv.Value)}")));
            }
        }
    }

    [Fact]
    public void Tool_blocks_without_ids_are_skipped_rather_than_sent_invalid()
    {
        var r = ClaudeTestSupport.Parse(ClaudeTestSupport.Jsonl(
            ClaudeTestSupport.Assistant("""[{"type":"tool_use","name":"Bash","input":{}}]"""),
            ClaudeTestSupport.User("""[{"type":"tool_result","content":"x"}]""", "u2")));
        Assert.Empty(r.Data(EventTypes.ToolCall));
        Assert.Empty(r.Data(EventTypes.ToolResult));
        Assert.Empty(r.Data(EventTypes.Message));
    }
}
