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
        var root = ClaudeCodeLogParserTests.FixtureRoot();
        var parser = new ClaudeCodeLogParser();
        var events = new SessionEventCollector();
        foreach (var file in Directory.EnumerateFiles(root, "*.jsonl", SearchOption.AllDirectories))
        {
            using var stream = File.OpenRead(file);
            parser.Parse(stream, new ParseRequest(file), events);
        }

        Assert.Equal(0, events.Skipped);
        Assert.Equal(new LogTreeScanner([parser]).Scan(root).Events, events.Count);
        Assert.True(events.Count > 30);

        foreach (var (sessionId, sessionEvents) in events.BySession)
        {
            foreach (var chunk in sessionEvents.Chunk(ProtocolLimits.MaxEventsPerBatch))
            {
                var batch = new EventBatch(sessionId, chunk.Select(e => (CollectorEvent?)new CollectorEvent(
                    e.Type,
                    JsonSerializer.SerializeToElement(e.EmittedAt.ToString("O")),
                    null,
                    null,
                    e.EventHash,
                    JsonDocument.Parse(e.Data).RootElement)).ToList());
                var validation = EventBatchValidator.Validate(batch, DateTimeOffset.UtcNow);
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
        Assert.Empty(r.Data("tool_call"));
        Assert.Empty(r.Data("tool_result"));
        Assert.Empty(r.Data("message"));
    }
}
