using System.Text.Json;
using CatSyphon.LoadTest;
using CatSyphon.Protocol;

namespace CatSyphon.Benchmarks;

/// <summary>
/// The batches the load tool sends (<see cref="EventPayload"/>): 50 events, alternating prompts and responses of
/// ~500 bytes of content, responses with token usage, sequenced from 1, as the README's load command sends them.
/// </summary>
public static class CollectorBatches
{
    public const int EventsPerBatch = 50;

    public const int ContentBytes = 500;

    /// <summary>After the events' emitted_at (the validator allows up to 24 hours ahead of it).</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] Body(string sessionId, int batchIndex) =>
        EventPayload.Batch(sessionId, 1 + batchIndex * EventsPerBatch, EventsPerBatch, ContentBytes);

    /// <summary>The body as the API reads it: deserialized with the protocol's source-generated context.</summary>
    public static EventBatch? Read(byte[] body) => JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.EventBatch);

    /// <summary>The body validated, sanitized and hashed, as the API hands it to the session buffer.</summary>
    public static EventBatchValidationResult Validated(byte[] body)
    {
        var result = EventBatchValidator.Validate(Read(body), Now);
        return result.Status == EventBatchValidationStatus.Valid
            ? result
            : throw new InvalidOperationException($"The load tool's batch was refused: {string.Join("; ", result.Errors.Keys)}");
    }
}
