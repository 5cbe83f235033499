using System.Collections.Concurrent;
using System.Security.Cryptography;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Sync;

public sealed record SyncOptions
{
    /// <summary>Bytes of a file parsed at a time (grown for a longer line): memory stays bounded on huge files.</summary>
    public int WindowBytes { get; init; } = 8 * 1024 * 1024;

    public int BatchSize { get; init; } = Protocol.ProtocolLimits.MaxEventsPerBatch;

    /// <summary>How long the server may stay unreachable before a sync gives up.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Syncs log files to the server. A file is parsed from its saved offset in bounded windows; each
/// session's events are numbered in file order (sequence = position in the session), and only events
/// past the server's last sequence are sent. The offset and the per-session counts are saved only once
/// the server acknowledged everything before them, so a collector killed at any moment neither loses
/// nor resends acknowledged events; a rewritten or truncated file is parsed again from its start and
/// numbered the same way, so nothing is stored twice.
/// </summary>
public sealed class LogSyncer(ServerClient server, SyncState state, SyncProgress progress, SyncOptions options)
{
    private const int PrefixBytes = 64 * 1024;

    /// <summary>The server's last sequence per session, learned once per run (then kept current from its answers).</summary>
    private readonly ConcurrentDictionary<string, long> acknowledged = new(StringComparer.Ordinal);

    public async Task SyncFileAsync(string path, CancellationToken cancellationToken)
    {
        if (AgentFormatRegistry.Default.For(path) is not { } format)
        {
            return;
        }

        var parser = format.Parser;
        if (format.OffsetIsWatermark)
        {
            await SyncDatabaseAsync(path, parser, cancellationToken);
            return;
        }

        var file = CurrentState(path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        if (file.Offset > stream.Length || !await PrefixMatchesAsync(stream, file, cancellationToken))
        {
            // Truncated or rewritten: number it again from the start; what the server has is skipped by sequence.
            file = new FileSyncState();
        }
        else if (await ServerLostEventsAsync(file, cancellationToken))
        {
            // The server has fewer events of a session than were acknowledged before the saved offset (it was restored
            // from an older backup, say): read the file again from the start; what the server has is skipped by sequence.
            file = new FileSyncState();
        }

        var window = options.WindowBytes;
        while (file.Offset < stream.Length)
        {
            stream.Position = file.Offset;
            var sink = new SessionEventCollector();
            var summary = parser.Parse(new FileWindow(stream, window), new ParseRequest(path, file.Offset), sink);
            if (summary.EndOffset == file.Offset)
            {
                if (file.Offset + window >= stream.Length)
                {
                    break; // only a partial last line is left: the agent is still writing it
                }

                window *= 2;
                continue;
            }

            var (refusal, counts) = await SendAsync(path, file, sink, cancellationToken);
            if (refusal == ResyncNeeded)
            {
                // The server lacks events numbered before the saved offset (its state was restored from an older
                // backup, say): read the file again from the start; what the server has is skipped by sequence.
                file = new FileSyncState();
                continue;
            }

            if (refusal is not null)
            {
                return;
            }

            progress.AddBytes(summary.EndOffset - file.Offset);
            file = new FileSyncState
            {
                Offset = summary.EndOffset,
                Sessions = counts,
                SyncedAt = DateTimeOffset.UtcNow,
            };
            (file.PrefixLength, file.PrefixHash) = await PrefixAsync(stream, file.Offset, cancellationToken);
            Commit(path, file);
            window = options.WindowBytes;
        }

        progress.FileDone();
    }

    private const string ResyncNeeded = "resync";

    /// <summary>
    /// Syncs a log that is a database (<see cref="AgentFormat.OffsetIsWatermark"/>): one read from the saved mark, whatever
    /// the file's size or first bytes (Cursor changes rows in place, and commits to the <c>-wal</c> beside it first). A
    /// read gives whole changed chats, events already sent included: numbered after what the session had, they are
    /// skipped by the server as duplicates (by hash), so nothing is stored twice and the new ones come after the old.
    /// </summary>
    private async Task SyncDatabaseAsync(string path, ISessionLogParser parser, CancellationToken cancellationToken)
    {
        var file = CurrentState(path);
        if (await ServerLostEventsAsync(file, cancellationToken))
        {
            file = new FileSyncState();
        }

        while (true)
        {
            var sink = new SessionEventCollector();
            var summary = parser.Parse(Stream.Null, new ParseRequest(path, file.Offset), sink);
            if (summary.EndOffset == file.Offset && sink.BySession.Count == 0)
            {
                break; // nothing changed since the mark (or the database is busy: the next look reads it)
            }

            var (refusal, counts) = await SendAsync(path, file, sink, cancellationToken);
            if (refusal == ResyncNeeded && (file.Offset != 0 || file.Sessions.Count != 0))
            {
                file = new FileSyncState(); // the server lost events: read it whole again, numbered from the start
                continue;
            }

            if (refusal is not null)
            {
                return;
            }

            var read = new FileInfo(path);
            progress.AddBytes(read.Exists ? read.Length : 0); // read whole, as far as progress is concerned
            Commit(path, new FileSyncState { Offset = summary.EndOffset, Sessions = counts, SyncedAt = DateTimeOffset.UtcNow });
            break;
        }

        progress.FileDone();
    }

    /// <summary>
    /// Sends the sink's events, each session's numbered after those it had before (<paramref name="file"/>); returns null
    /// and the new counts when all were acknowledged, else <see cref="ResyncNeeded"/> or the refusal, which is then saved
    /// on the file.
    /// </summary>
    private async Task<(string? Refusal, Dictionary<string, long> Counts)> SendAsync(
        string path, FileSyncState file, SessionEventCollector sink, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(file.Sessions, StringComparer.Ordinal);
        var bySession = new Dictionary<string, List<NumberedEvent>>(StringComparer.Ordinal);
        foreach (var (sessionId, events) in sink.BySession)
        {
            var before = counts.GetValueOrDefault(sessionId);
            bySession[sessionId] = events.Select((parsed, index) => new NumberedEvent(parsed, before + index + 1)).ToList();
            events.ForEach(progress.Projects.Note);
            counts[sessionId] = before + events.Count;
        }

        var refusal = await SendSessionsAsync(bySession, cancellationToken);
        if (refusal is not null && refusal != ResyncNeeded)
        {
            file.Error = refusal;
            Commit(path, file);
        }

        return (refusal, counts);
    }

    /// <summary>Sends each session's events; returns null when all were acknowledged, <see cref="ResyncNeeded"/>, or a refusal.</summary>
    private async Task<string?> SendSessionsAsync(Dictionary<string, List<NumberedEvent>> bySession, CancellationToken cancellationToken)
    {
        foreach (var (sessionId, events) in bySession)
        {
            if (await SendSessionAsync(sessionId, events, cancellationToken) is { } refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    /// <summary>Sends a session's numbered events past what the server has; returns null, <see cref="ResyncNeeded"/>, or why the server refused them.</summary>
    private async Task<string?> SendSessionAsync(string sessionId, List<NumberedEvent> events, CancellationToken cancellationToken)
    {
        var serverLast = await AcknowledgedAsync(sessionId, cancellationToken);
        var index = events.FindIndex(e => e.Sequence > serverLast);
        while (index >= 0 && index < events.Count)
        {
            if (events[index].Sequence != serverLast + 1)
            {
                return ResyncNeeded;
            }

            var batch = events.GetRange(index, Math.Min(options.BatchSize, events.Count - index));
            switch (await SendWithRetriesAsync(sessionId, batch, cancellationToken))
            {
                case SendOutcome.Accepted accepted:
                    progress.AddEvents(accepted.Count, accepted.Duplicates);
                    progress.SessionActive(sessionId);
                    serverLast = acknowledged[sessionId] = Math.Max(accepted.LastSequence, batch[^1].Sequence);
                    index += batch.Count;
                    break;
                case SendOutcome.Gap gap:
                    serverLast = acknowledged[sessionId] = gap.ExpectedSequence - 1;
                    index = events.FindIndex(e => e.Sequence > serverLast);
                    break;
                case SendOutcome.Refused refused:
                    return $"{sessionId}: {refused.Reason}";
            }
        }

        return null;
    }

    private async Task<SendOutcome> SendWithRetriesAsync(string sessionId, List<NumberedEvent> batch, CancellationToken cancellationToken)
    {
        var failingSince = (DateTimeOffset?)null;
        var backoff = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            TimeSpan wait;
            try
            {
                var outcome = await server.SendEventsAsync(sessionId, batch, cancellationToken);
                if (outcome is not SendOutcome.RetryLater later)
                {
                    return outcome;
                }

                wait = later.Wait;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                wait = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }

            failingSince ??= DateTimeOffset.UtcNow;
            if (DateTimeOffset.UtcNow - failingSince > options.GiveUpAfter)
            {
                throw new CollectorException($"The server has not accepted events for {options.GiveUpAfter.TotalSeconds:F0} s; progress so far is saved, run again later.");
            }

            await Task.Delay(wait, cancellationToken);
        }
    }

    private async Task<long> AcknowledgedAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (acknowledged.TryGetValue(sessionId, out var known))
        {
            return known;
        }

        try
        {
            return acknowledged[sessionId] = await server.GetLastSequenceAsync(sessionId, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new CollectorException($"The server cannot be reached: {exception.Message}");
        }
    }

    /// <summary>Whether the server's last sequence of a session is below what it acknowledged before the saved offset (asked once a run).</summary>
    private async Task<bool> ServerLostEventsAsync(FileSyncState file, CancellationToken cancellationToken)
    {
        foreach (var (sessionId, count) in file.Sessions)
        {
            if (await AcknowledgedAsync(sessionId, cancellationToken) < count)
            {
                return true;
            }
        }

        return false;
    }

    private FileSyncState CurrentState(string path)
    {
        lock (state)
        {
            return state.Files.TryGetValue(path, out var saved) && saved.Error is null ? saved : new FileSyncState();
        }
    }

    private void Commit(string path, FileSyncState file)
    {
        lock (state)
        {
            state.Files[path] = file;
        }
    }

    private static async Task<bool> PrefixMatchesAsync(FileStream stream, FileSyncState file, CancellationToken cancellationToken)
    {
        if (file.Offset == 0 || file.PrefixHash is null)
        {
            return true;
        }

        var (_, hash) = await PrefixAsync(stream, file.PrefixLength, cancellationToken);
        return hash == file.PrefixHash;
    }

    private static async Task<(int Length, string Hash)> PrefixAsync(FileStream stream, long upTo, CancellationToken cancellationToken)
    {
        var length = (int)Math.Min(upTo, PrefixBytes);
        var buffer = new byte[length];
        stream.Position = 0;
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return (length, Convert.ToHexString(SHA256.HashData(buffer)));
    }
}
