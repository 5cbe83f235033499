using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CatSyphon.Ingestion;
using CatSyphon.Worker.Projection;

namespace CatSyphon.Benchmarks;

/// <summary>
/// The worker's <see cref="EventProjection.Project"/> (typed columns out of each event's data) over a 50-event batch
/// of a typical agent session: per turn a prompt, a reply with token usage, an Edit tool call with its file change
/// and its result; every fifth turn's tool call also carries a plan. Per event.
/// </summary>
[MemoryDiagnoser]
public class ProjectionBenchmarks
{
    private const int Turns = CollectorBatches.EventsPerBatch / 4;
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly Guid conversationId = Guid.NewGuid();
    private BufferedBatch batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var events = new List<BufferedEvent>();
        void Add(string type, object data) =>
            events.Add(new BufferedEvent(type, events.Count + 1, $"hash-{events.Count + 1}", Start.AddSeconds(events.Count), null, JsonSerializer.Serialize(data)));

        for (var turn = 0; turn < Turns; turn++)
        {
            var file = $"src/Parser/Module{turn}.cs";
            Add("message", new { author_role = "human", message_type = "prompt", content = Text($"Turn {turn}: please refactor {file}. "), uuid = $"u-{turn}-1" });
            Add("message", new
            {
                author_role = "assistant", message_type = "response", content = Text($"I will edit {file}. "), model = "claude-sonnet-4-5",
                api_message_id = $"msg_{turn}", request_id = $"req_{turn}", uuid = $"u-{turn}-2", parent_uuid = $"u-{turn}-1", stop_reason = "tool_use",
                usage_key = $"msg_{turn}:req_{turn}",
                token_usage = new { input_tokens = 1200 + turn, output_tokens = 380, cache_creation_tokens = 2048, cache_read_tokens = 40960 },
            });
            var plan = turn % 5 == 0 ? new { content = Text($"Plan v{turn}: 1. read {file} 2. refactor 3. test. ") } : null;
            Add("tool_call", new
            {
                tool_use_id = $"toolu_{turn}", tool_name = "Edit",
                input = new { file_path = file, old_string = Text("old "), new_string = Text("new ") },
                file_change = new { file_path = file, action = "Modified", lines_added = 12, lines_removed = 4 },
                plan,
            });
            Add("tool_result", new { tool_use_id = $"toolu_{turn}", output = Text($"The file {file} has been updated. "), success = true });
        }

        while (events.Count < CollectorBatches.EventsPerBatch)
        {
            Add("thinking", new { thinking = Text("Checking the tests before the next step. ") });
        }

        var (workspaceId, collectorId, sessionId) = (Guid.NewGuid(), Guid.NewGuid(), "bench-session-0001");
        batch = new BufferedBatch
        {
            Kind = BufferedBatchKind.Events,
            WorkspaceId = workspaceId,
            CollectorId = collectorId,
            SessionId = sessionId,
            ConversationId = conversationId,
            ReceivedAt = Start.AddMinutes(5),
            Job = new BufferedJob(Guid.NewGuid(), workspaceId, collectorId, sessionId, conversationId, events.Count, events.Count, 0, "accepted", 202, null, Start, 1),
            Events = events,
        };
    }

    [Benchmark(OperationsPerInvoke = CollectorBatches.EventsPerBatch, Description = "EventProjection.Project, per event")]
    public int Project()
    {
        var projected = 0;
        foreach (var buffered in batch.Events)
        {
            projected += EventProjection.Project(batch, buffered, conversationId).Sequence > 0 ? 1 : 0;
        }

        return projected;
    }

    /// <summary>About <see cref="CollectorBatches.ContentBytes"/> of text starting with <paramref name="lead"/>.</summary>
    private static string Text(string lead)
    {
        const string words = "the quick brown fox refactors the parser while the worker persists batches into postgres ";
        var text = new System.Text.StringBuilder(lead, CollectorBatches.ContentBytes + words.Length);
        while (text.Length < CollectorBatches.ContentBytes)
        {
            text.Append(words);
        }

        return text.ToString(0, CollectorBatches.ContentBytes);
    }
}
