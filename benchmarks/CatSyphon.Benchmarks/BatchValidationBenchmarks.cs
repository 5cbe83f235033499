using BenchmarkDotNet.Attributes;
using CatSyphon.Protocol;
using CatSyphon.Protocol.Redaction;

namespace CatSyphon.Benchmarks;

/// <summary>
/// What <c>POST /collectors/events</c> does with a body before Redis: deserialize it, then validate, sanitize and hash
/// every event (<see cref="EventBatchValidator"/>, which calls <see cref="ProtocolJsonSanitizer"/> and <see cref="EventHash"/>),
/// and redact it with the built-in rules as the API does (<see cref="SecretRedactor.Default"/>: the load tool's responses
/// carry token usage, whose key names hold the keyword "token", so their data is walked). Figures are per event of a
/// 50-event batch.
/// </summary>
[MemoryDiagnoser]
public class BatchValidationBenchmarks
{
    private byte[] body = [];
    private EventBatch? read;

    [GlobalSetup]
    public void Setup()
    {
        // A batch in the middle of a session: no session_start, every event a message.
        body = CollectorBatches.Body("bench-session-0001", batchIndex: 1);
        read = CollectorBatches.Read(body);
        CollectorBatches.Validated(body);
    }

    [Benchmark(OperationsPerInvoke = CollectorBatches.EventsPerBatch, Description = "Deserialize + validate, per event")]
    public EventBatchValidationResult DeserializeAndValidate() => EventBatchValidator.Validate(CollectorBatches.Read(body), CollectorBatches.Now);

    [Benchmark(OperationsPerInvoke = CollectorBatches.EventsPerBatch, Description = "Validate (sanitize, hash) only, per event")]
    public EventBatchValidationResult Validate() => EventBatchValidator.Validate(read, CollectorBatches.Now);

    [Benchmark(OperationsPerInvoke = CollectorBatches.EventsPerBatch, Description = "Validate and redact, per event")]
    public EventBatchValidationResult ValidateAndRedact() => EventBatchValidator.Validate(read, CollectorBatches.Now, redactor: SecretRedactor.Default);
}
