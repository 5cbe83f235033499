using System.Collections.Concurrent;

namespace CatSyphon.Collector.Sync;

/// <summary>Counts what a sync did, for progress lines; safe to update from several files at once.</summary>
public sealed class SyncProgress
{
    private long bytes;
    private long accepted;
    private long duplicates;
    private int files;
    private readonly ConcurrentDictionary<string, DateTimeOffset> sessionActivity = new(StringComparer.Ordinal);

    public long Bytes => Interlocked.Read(ref bytes);

    public long Accepted => Interlocked.Read(ref accepted);

    public long Duplicates => Interlocked.Read(ref duplicates);

    public int Files => Volatile.Read(ref files);

    public void AddBytes(long count) => Interlocked.Add(ref bytes, count);

    public void AddEvents(int newlyAccepted, int duplicated)
    {
        Interlocked.Add(ref accepted, newlyAccepted);
        Interlocked.Add(ref duplicates, duplicated);
    }

    public void FileDone() => Interlocked.Increment(ref files);

    /// <summary>When each session last had events accepted (this run).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> SessionActivity => sessionActivity;

    public void SessionActive(string sessionId) => sessionActivity[sessionId] = DateTimeOffset.UtcNow;

    /// <summary>The projects the sessions read so far started in.</summary>
    public ProjectRoots Projects { get; } = new();

    public void Forget(string sessionId) => sessionActivity.TryRemove(sessionId, out _);
}
