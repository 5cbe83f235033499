using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatSyphon.Ingestion;

/// <summary>What a stream entry carries: the API appends one per accepted request, the worker persists it.</summary>
public enum BufferedBatchKind
{
    /// <summary>Events newly accepted for a session, with their sequence numbers.</summary>
    Events,

    /// <summary>An explicit <c>POST /collectors/sessions/{id}/complete</c>.</summary>
    Complete,
}

/// <summary>
/// One accepted request, as buffered in a Redis stream until PostgreSQL has it. Events are already
/// validated and sanitized, carry their final sequence and dedup hash, and are contiguous in sequence
/// for the conversation; entries of one conversation sit in one shard, in order.
/// </summary>
public sealed record BufferedBatch
{
    public required BufferedBatchKind Kind { get; init; }

    public required Guid WorkspaceId { get; init; }

    public required Guid CollectorId { get; init; }

    public required string SessionId { get; init; }

    public required Guid ConversationId { get; init; }

    /// <summary>
    /// The session's sequence range this entry accounts for: every sequence after <see cref="AfterSequence"/> up to
    /// <see cref="ThroughSequence"/> is either one of <see cref="Events"/> or a duplicate of an event accepted
    /// before (so it needs no row of its own). The worker advances <c>persisted_sequence</c> by these ranges:
    /// counting stored rows could not tell such a duplicate from a lost event. Absent in entries of older versions.
    /// </summary>
    public long? AfterSequence { get; init; }

    public long? ThroughSequence { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The request's ingestion job, recorded by the worker with the batch.</summary>
    public required BufferedJob Job { get; init; }

    public IReadOnlyList<BufferedEvent> Events { get; init; } = [];

    /// <summary>For <see cref="BufferedBatchKind.Complete"/>.</summary>
    public BufferedCompletion? Completion { get; init; }
}

/// <summary>A validated event. <see cref="Data"/> is the sanitized JSON object text of the event's data.</summary>
public sealed record BufferedEvent(
    string Type,
    long Sequence,
    string EventHash,
    DateTimeOffset EmittedAt,
    DateTimeOffset? ObservedAt,
    string Data)
{
    /// <summary>Message events: the normalized author role (<c>user</c> is read as <c>human</c>); prefer it to the raw data's.</summary>
    public string? AuthorRole { get; init; }

    /// <summary>Message events: the message type.</summary>
    public string? MessageType { get; init; }
}

public sealed record BufferedCompletion(string Outcome, string? Summary, long? EventCount, long? FinalSequence);

/// <summary>An ingestion job as the API saw it; the worker stores it in <c>ingestion_jobs</c>.</summary>
public sealed record BufferedJob(
    Guid Id,
    Guid WorkspaceId,
    Guid? CollectorId,
    string SessionId,
    Guid? ConversationId,
    int ReceivedEvents,
    int Accepted,
    int Duplicates,
    string Outcome,
    int HttpStatus,
    string? Error,
    DateTimeOffset StartedAt,
    double DurationMs);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(BufferedBatch))]
[JsonSerializable(typeof(BufferedJob))]
public sealed partial class BufferJsonContext : JsonSerializerContext;

public static class BufferedBatchSerializer
{
    public static byte[] Serialize(BufferedBatch batch) => JsonSerializer.SerializeToUtf8Bytes(batch, BufferJsonContext.Default.BufferedBatch);

    public static BufferedBatch Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, BufferJsonContext.Default.BufferedBatch)
        ?? throw new JsonException("A buffered batch was empty.");

    public static byte[] Serialize(BufferedJob job) => JsonSerializer.SerializeToUtf8Bytes(job, BufferJsonContext.Default.BufferedJob);

    public static BufferedJob DeserializeJob(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, BufferJsonContext.Default.BufferedJob)
        ?? throw new JsonException("A buffered job was empty.");
}
