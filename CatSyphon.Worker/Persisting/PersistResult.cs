namespace CatSyphon.Worker.Persisting;

/// <summary>How far a session's events are stored in PostgreSQL after a persisted set.</summary>
public sealed record SessionProgress(Guid WorkspaceId, string SessionId, long PersistedSequence);

/// <summary>A shard's count of committed worker transactions (its restore watermark), as PostgreSQL holds it after a commit.</summary>
public sealed record ShardCommit(int Shard, long Commits);

/// <summary>What one committed set of stream entries stored.</summary>
public sealed record PersistResult(long EventsInserted, long EventsReceived, IReadOnlyList<SessionProgress> Sessions, ShardCommit? Commit = null)
{
    public static readonly PersistResult Empty = new(0, 0, []);
}

/// <summary>Persists a set of stream entries in one transaction; throws when it cannot (nothing is then stored).</summary>
public interface IStreamEntryPersister
{
    Task<PersistResult> PersistAsync(IReadOnlyList<StackExchange.Redis.StreamEntry> entries, CancellationToken cancellationToken);
}
