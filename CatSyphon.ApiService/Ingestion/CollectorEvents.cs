namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// What collectors did, for operators (<c>collector-events</c>): registrations, batches accepted or refused with the
/// reason, heartbeats, completions and key rotations. Ids, counts and reasons only: never a key or token.
/// </summary>
public sealed partial class CollectorEvents(ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger(LogFiles.CollectorEventsCategory);

    public void Registered(Guid collectorId, Guid workspaceId, string registrant, string collectorType, string collectorVersion, string hostname) =>
        LogRegistered(_logger, collectorId, workspaceId, registrant, collectorType, collectorVersion, hostname);

    public void RegistrationRefused(Guid workspaceId, int status, string reason) => LogRegistrationRefused(_logger, workspaceId, status, reason);

    public void BatchAccepted(CollectorIdentity collector, string sessionId, int accepted, int duplicates, long lastSequence) =>
        LogBatchAccepted(_logger, collector.CollectorId, sessionId, accepted, duplicates, lastSequence);

    public void BatchRefused(CollectorIdentity collector, string? sessionId, int events, int status, string reason) =>
        LogBatchRefused(_logger, collector.CollectorId, sessionId ?? "", events, status, reason);

    public void Heartbeat(CollectorIdentity collector, long? queueDepth, string? status) =>
        LogHeartbeat(_logger, collector.CollectorId, queueDepth, status);

    public void SessionCompleted(CollectorIdentity collector, string sessionId, string? outcome, int events) =>
        LogSessionCompleted(_logger, collector.CollectorId, sessionId, outcome, events);

    public void KeyRotated(Guid collectorId, string actor, string keyPrefix, int graceSeconds) =>
        LogKeyRotated(_logger, collectorId, actor, keyPrefix, graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "registered collector {CollectorId} workspace {WorkspaceId} by {Registrant}: {CollectorType} {CollectorVersion} on {Hostname}")]
    private static partial void LogRegistered(ILogger logger, Guid collectorId, Guid workspaceId, string registrant, string collectorType, string collectorVersion, string hostname);

    [LoggerMessage(Level = LogLevel.Information, Message = "registration refused workspace {WorkspaceId} status {Status}: {Reason}")]
    private static partial void LogRegistrationRefused(ILogger logger, Guid workspaceId, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "batch accepted collector {CollectorId} session {SessionId} accepted {Accepted} duplicates {Duplicates} last_sequence {LastSequence}")]
    private static partial void LogBatchAccepted(ILogger logger, Guid collectorId, string sessionId, int accepted, int duplicates, long lastSequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "batch refused collector {CollectorId} session {SessionId} events {Events} status {Status}: {Reason}")]
    private static partial void LogBatchRefused(ILogger logger, Guid collectorId, string sessionId, int events, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "heartbeat collector {CollectorId} queue_depth {QueueDepth} status {CollectorStatus}")]
    private static partial void LogHeartbeat(ILogger logger, Guid collectorId, long? queueDepth, string? collectorStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "session completed collector {CollectorId} session {SessionId} outcome {Outcome} events {Events}")]
    private static partial void LogSessionCompleted(ILogger logger, Guid collectorId, string sessionId, string? outcome, int events);

    [LoggerMessage(Level = LogLevel.Information, Message = "key rotated collector {CollectorId} by {Actor}: new key {KeyPrefix}..., old key valid {GraceSeconds} s more")]
    private static partial void LogKeyRotated(ILogger logger, Guid collectorId, string actor, string keyPrefix, int graceSeconds);
}
