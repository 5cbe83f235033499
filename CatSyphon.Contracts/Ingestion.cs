namespace CatSyphon.Contracts;

public enum IngestionSource
{
    Collector,
    Upload,
}

public enum IngestionOutcome
{
    Accepted,
    Refused,
    Failed,
}

public sealed record IngestionJobView(
    Guid Id, Guid WorkspaceId, Guid? CollectorId, string SessionId, Guid? ConversationId, IngestionSource Source,
    int ReceivedEvents, int Accepted, int Duplicates, IngestionOutcome Outcome, int? HttpStatus, string? Error,
    DateTimeOffset StartedAt, double? DurationMs);

public sealed record IngestionJobPage(IReadOnlyList<IngestionJobView> Items, string? NextCursor);

public sealed record IngestionStats(
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Batches, long AcceptedBatches, long RefusedBatches,
    double SuccessRate, double FailureRate, long EventsAccepted, long Duplicates, double EventsPerSecond,
    long StreamLag, long DeadLetters);

public sealed record DeadLetterView(string Id, string Source, string Error, Guid? WorkspaceId, string? SessionId, int Events);
