using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CatSyphon.Protocol;

namespace CatSyphon.Benchmarks;

/// <summary>
/// The server's dedup hash (<see cref="EventHash.Compute(EventType, DateTimeOffset, JsonElement)"/>: canonical JSON of the
/// data, then SHA-256) over the events of a load-tool batch, which carry no event_hash of their own. Per event.
/// </summary>
[MemoryDiagnoser]
public class EventHashBenchmarks
{
    private (EventType Type, DateTimeOffset EmittedAt, JsonElement Data)[] events = [];

    [GlobalSetup]
    public void Setup()
    {
        var body = CollectorBatches.Body("bench-session-0001", batchIndex: 1);
        var read = CollectorBatches.Read(body)!;
        var validated = CollectorBatches.Validated(body);
        events = [.. validated.Events.Select(e => (e.Type, e.EmittedAt, read.Events![e.Index]!.Data))];
    }

    [Benchmark(OperationsPerInvoke = CollectorBatches.EventsPerBatch, Description = "EventHash.Compute, per event")]
    public int Compute()
    {
        var length = 0;
        foreach (var (type, emittedAt, data) in events)
        {
            length += EventHash.Compute(type, emittedAt, data).Length;
        }

        return length;
    }
}
