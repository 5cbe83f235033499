using System.Diagnostics.Metrics;

namespace CatSyphon.Worker.Insights;

/// <summary>
/// Every <see cref="InsightOptions.Interval"/> (and at start), tags the sessions due (see <see cref="InsightStore"/>) in
/// batches of <see cref="InsightOptions.SessionsPerBatch"/>, one short transaction each, until none is left. Tagging
/// reads only bounded views, so a round never slows ingestion; replicas take turns through a transaction lock.
/// </summary>
internal sealed partial class InsightScheduler(
    IngestionDatabase database,
    IOptions<InsightOptions> options,
    IOptions<SessionActivityOptions> activity,
    IMeterFactory meterFactory,
    ILogger<InsightScheduler> logger) : BackgroundService
{
    public const string MeterName = "CatSyphon.Insights";

    private readonly Counter<long> sessionsTagged = meterFactory.Create(MeterName)
        .CreateCounter<long>("catsyphon.insights.sessions.tagged", "{session}", "Sessions whose deterministic tags were computed.");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await PeriodicWork.RepeatAsync(
            options.Value.Interval,
            async token =>
            {
                if (await RunRoundAsync(token) is var tagged and > 0)
                {
                    LogTagged(logger, tagged);
                }
            },
            exception => LogFailed(logger, FailureClassifier.Describe(exception)),
            stoppingToken);
    }

    /// <summary>Tags batches until none is due or another replica holds the lock; returns how many sessions were tagged.</summary>
    public async Task<int> RunRoundAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (await TagBatchAsync(cancellationToken) is var tagged and > 0)
        {
            total += tagged;
        }

        return total;
    }

    private async Task<int> TagBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await InsightStore.TryLockAsync(connection, transaction, cancellationToken))
        {
            return 0;
        }

        var due = await InsightStore.DueAsync(connection, transaction, activity.Value.IdleAfter, settings.SessionsPerBatch, cancellationToken);
        await using var writes = new SqlTransaction(connection, transaction, settings.CommandTimeoutSeconds).Batch();
        foreach (var conversationId in due)
        {
            if (await SessionViewQuery.LoadAsync(connection, transaction, conversationId, settings.RowsPerEnd, cancellationToken) is var (view, eventCount))
            {
                writes.BatchCommands.Add(InsightStore.Upsert(conversationId, TagOrUnknown(conversationId, view), eventCount));
            }
        }

        if (writes.BatchCommands.Count > 0)
        {
            await writes.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        sessionsTagged.Add(writes.BatchCommands.Count);
        return writes.BatchCommands.Count;
    }

    /// <summary>
    /// The session's tags, or <c>unknown</c> with the reason when the rules fail on it: one session they cannot read must
    /// not hold back every other (it would be first in every round). It is tried again when it grows or the rules change.
    /// </summary>
    private TaggedSession TagOrUnknown(Guid conversationId, SessionView view)
    {
        try
        {
            return SessionTagger.Tag(view);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSessionFailed(logger, conversationId, FailureClassifier.Describe(exception));
            return new TaggedSession(
                new SessionTags(SessionIntent.Other, SessionOutcome.Unknown, 0, 0, [], [], []),
                [new TagEvidence("outcome", $"the tagging rules failed on this session ({exception.GetType().Name})", null)],
                SessionMeasures.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Insights: the rules failed on session {ConversationId}, stored as unknown: {Error}")]
    private static partial void LogSessionFailed(ILogger logger, Guid conversationId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Insights: {Count} sessions tagged")]
    private static partial void LogTagged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Insights: tagging failed and is tried again next round: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
