namespace CatSyphon.Worker.Tests.Infrastructure;

/// <summary>
/// Builds the buffered batches the API would append for one session: events numbered in order with their hashes, each
/// batch accounting for the sequence range of its events.
/// </summary>
internal sealed class TestSession(Guid workspaceId, Guid collectorId, string? sessionId = null)
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private long sequence;

    public Guid WorkspaceId { get; } = workspaceId;

    public Guid CollectorId { get; } = collectorId;

    public string SessionId { get; } = sessionId ?? $"session-{Guid.NewGuid():N}";

    /// <summary>The conversation id the API proposes; the stored row may keep another.</summary>
    public Guid ConversationId { get; init; } = Guid.CreateVersion7();

    /// <summary>The next event: <paramref name="data"/> is serialized as the event's data object.</summary>
    public BufferedEvent Event(string type, object data)
    {
        sequence++;
        return new BufferedEvent(type, sequence, $"hash-{sequence}", Start.AddSeconds(sequence), null, JsonSerializer.Serialize(data));
    }

    /// <summary>A batch of events, accounting for the range from just before its first event through its last.</summary>
    public BufferedBatch Batch(params BufferedEvent[] events) => Batch(events[0].Sequence - 1, events[^1].Sequence, events);

    public BufferedBatch Batch(long after, long through, params BufferedEvent[] events) => new()
    {
        Kind = BufferedBatchKind.Events,
        WorkspaceId = WorkspaceId,
        CollectorId = CollectorId,
        SessionId = SessionId,
        ConversationId = ConversationId,
        AfterSequence = after,
        ThroughSequence = through,
        ReceivedAt = Start.AddMinutes(5),
        Job = Job(events.Length),
        Events = events,
    };

    /// <summary>An explicit completion (<c>POST .../complete</c>), an hour after the start.</summary>
    public BufferedBatch Completion(string outcome, string? summary) => Batch(0, 0) with
    {
        Kind = BufferedBatchKind.Complete,
        AfterSequence = null,
        ThroughSequence = null,
        ReceivedAt = Start.AddHours(1),
        Completion = new BufferedCompletion(outcome, summary, null, null),
    };

    public BufferedJob Job(int events, string outcome = "accepted") => new(
        Guid.CreateVersion7(), WorkspaceId, CollectorId, SessionId, ConversationId, events, events, 0, outcome, 202, null, Start, 1.5);
}
