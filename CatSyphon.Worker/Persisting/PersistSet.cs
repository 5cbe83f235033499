namespace CatSyphon.Worker.Persisting;

/// <summary>A session of a set: the conversation id its first batch proposes, its collector and when it first arrived.</summary>
internal sealed record SessionKey(Guid WorkspaceId, string SessionId, Guid ProposedId, Guid CollectorId, DateTimeOffset ReceivedAt);

/// <summary>
/// A set of buffered batches made ready for one transaction before anything touches PostgreSQL: its sessions,
/// every event projected (a malformed event fails the set here) and the advisory locks it takes.
/// </summary>
internal sealed class PersistSet
{
    private PersistSet(IReadOnlyList<BufferedBatch> batches, List<SessionKey> sessions, List<(BufferedBatch Batch, EventRow Row)> events, int shard)
    {
        Batches = batches;
        Sessions = sessions;
        Events = events;
        Shard = shard;
        LockKeys = ConversationLinks.LockKeys(sessions, events);
    }

    public IReadOnlyList<BufferedBatch> Batches { get; }

    public List<SessionKey> Sessions { get; }

    /// <summary>Every event of the set with its batch, in order, before deduplication.</summary>
    public List<(BufferedBatch Batch, EventRow Row)> Events { get; }

    public long[] LockKeys { get; }

    /// <summary>The shard the set was read from: every entry of one set comes from one stream.</summary>
    public int Shard { get; }

    public static PersistSet Prepare(IReadOnlyList<BufferedBatch> batches)
    {
        var sessions = batches
            .GroupBy(batch => (batch.WorkspaceId, batch.SessionId))
            .Select(group => new SessionKey(group.Key.WorkspaceId, group.Key.SessionId, group.First().ConversationId,
                group.First().CollectorId, group.Min(batch => batch.ReceivedAt).ToUniversalTime()))
            .ToList();

        var events = new List<(BufferedBatch Batch, EventRow Row)>();
        foreach (var batch in batches)
        {
            foreach (var buffered in batch.Events ?? [])
            {
                events.Add((batch, EventProjection.Project(batch, buffered, batch.ConversationId)));
            }
        }

        return new PersistSet(batches, sessions, events, IngestionRedisKeys.ShardOf(batches[0].WorkspaceId, batches[0].SessionId));
    }

    /// <summary>The set without the sessions that have no conversation (erased ones): their batches store nothing.</summary>
    public PersistSet Without(Func<SessionKey, bool> erased)
    {
        var gone = Sessions.Where(erased).Select(s => (s.WorkspaceId, s.SessionId)).ToHashSet();
        return new PersistSet(
            [.. Batches.Where(b => !gone.Contains((b.WorkspaceId, b.SessionId)))],
            [.. Sessions.Where(s => !gone.Contains((s.WorkspaceId, s.SessionId)))],
            [.. Events.Where(e => !gone.Contains((e.Batch.WorkspaceId, e.Batch.SessionId)))],
            Shard);
    }

    /// <summary>Refuses an entry no conversation can be found for; it goes to the dead letters.</summary>
    public static BufferedBatch Validate(BufferedBatch batch)
    {
        if (string.IsNullOrEmpty(batch.SessionId) || batch.SessionId.Length > ColumnLimits.SessionId)
        {
            throw new FormatException("A buffered batch has no valid session id.");
        }

        if (batch.WorkspaceId == Guid.Empty)
        {
            throw new FormatException("A buffered batch has no workspace id.");
        }

        if (batch.Kind == BufferedBatchKind.Complete && batch.Completion is null)
        {
            throw new FormatException("A buffered completion has no completion.");
        }

        return batch;
    }

    /// <summary>The sequence range each entry accounts for, under the conversation id in force.</summary>
    public List<(Guid ConversationId, long After, long Through)> Ranges(SetConversations conversations) => Batches
        .Select(b => (Batch: b, Range: PersistedProgress.RangeOf(b)))
        .Where(item => item.Range is not null)
        .Select(item => (conversations.IdOf(item.Batch), item.Range!.Value.After, item.Range.Value.Through))
        .ToList();

    /// <summary>Each batch's job; it belongs to the batch's conversation (the API may not know its id yet).</summary>
    public List<(BufferedJob Job, Guid? ConversationId)> Jobs(SetConversations conversations) => Batches
        .Select(b => (b.Job, ConversationId: b.Job.ConversationId is null || b.Job.ConversationId == b.ConversationId
            ? conversations.IdOf(b)
            : b.Job.ConversationId))
        .ToList();
}
