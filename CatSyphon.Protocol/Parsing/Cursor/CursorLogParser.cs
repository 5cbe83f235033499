using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// Parser for Cursor's chat databases (<see cref="CursorFormat"/>): an IDE <c>state.vscdb</c> (the old layout's chat tabs
/// and composers in <c>ItemTable</c>, <see cref="CursorWorkspaceChats"/>; the modern layout's composers and bubbles in
/// <c>cursorDiskKV</c>, <see cref="CursorComposers"/>) or a cursor-agent CLI <c>store.db</c> (<see cref="CursorAgentStore"/>).
/// The database is opened by path, read-only (<see cref="CursorDatabase"/>): the file the stream reads when it is a file
/// (a scan, an upload), else the request's path (the collector's windows); the request's path says which kind it is.
/// </summary>
/// <remarks>
/// Incremental reading. Cursor rewrites a chat's row in place (<c>UNIQUE ON CONFLICT REPLACE</c>), so neither a byte
/// offset nor a rowid says what is new. Each chat carries the time it last changed (<c>lastUpdatedAt</c>, else
/// <c>createdAt</c>; a tab its <c>lastSendTime</c>), so the offset is a high-water mark of those times, in epoch
/// milliseconds: a read from mark <c>m</c> reads every chat stamped <c>&gt;= m</c> whole, and returns the highest stamp
/// it read. Chats stamped exactly <c>m</c> are read again, so one Cursor changes in the same millisecond just after a
/// read is not missed; what was read before gives the same event hashes (they are over each message's id and content),
/// so the server stores nothing twice. A chat still <c>generating</c> is left for a later read, and the mark stays below
/// its stamp. This is the least state that fits the one <see cref="ParseRequest.StartOffset"/> a file has; the collector
/// knows not to take it for a position through <see cref="AgentFormat.OffsetIsWatermark"/>.
/// </remarks>
public sealed class CursorLogParser : ISessionLogParser
{
    /// <summary>At most this many warnings are reported per parse call.</summary>
    public const int MaxWarnings = 5;

    public string AgentType => AgentTypes.Cursor;

    public ParseSummary Parse(Stream stream, ParseRequest request, IParsedLogSink sink)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);

        var warnings = new BoundedWarnings(MaxWarnings);
        using var events = new CursorEventWriter(sink);
        var databasePath = stream is FileStream file ? file.Name : request.Path;
        var read = new CursorRead(Math.Max(0, request.StartOffset), CursorTime.LastWritten(databasePath), events, warnings.Add);
        try
        {
            using var database = CursorDatabase.Open(databasePath);
            if (CursorFormat.IsAgentStore(request.Path))
            {
                CursorAgentStore.Read(database, read, request.Path);
            }
            else
            {
                CursorWorkspaceChats.Read(database, read, databasePath);
                CursorComposers.Read(database, read);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            // Locked by Cursor, mid-write, corrupt or gone: what was read stays, the mark does not move, a later read retries.
            read.Warn($"database not readable now ({ex.Message}); read again later");
            return new ParseSummary(AgentType, request.StartOffset, read.Records, read.Malformed + 1, warnings.Items);
        }

        return new ParseSummary(AgentType, read.EndMark, read.Records, read.Malformed, warnings.Items);
    }
}

/// <summary>One read of a database: the mark it started from, the highest stamp read, and what it found.</summary>
internal sealed class CursorRead(long mark, DateTimeOffset fallback, CursorEventWriter events, Action<string> warn)
{
    private long _highest;
    private long _heldBelow = long.MaxValue;

    public CursorEventWriter Events => events;

    /// <summary>The mark this read started from (epoch milliseconds; 0 reads everything).</summary>
    public long StartMark => mark;

    /// <summary>The time of a chat that records none: when the database was last written.</summary>
    public DateTimeOffset Fallback => fallback;

    /// <summary>Chats (and other records) read.</summary>
    public int Records { get; set; }

    /// <summary>Values that were not what the format says (not JSON, wrong types, too large).</summary>
    public int Malformed { get; private set; }

    /// <summary>The mark the next read starts from: the highest stamp read, kept below any chat left for later.</summary>
    public long EndMark => Math.Max(mark, Math.Min(_highest, _heldBelow - 1));

    /// <summary>Whether a chat stamped <paramref name="stamp"/> is read now (it may have changed since the last read).</summary>
    public bool IsDue(long stamp) => stamp >= mark;

    /// <summary>A chat stamped <paramref name="stamp"/> was read.</summary>
    public void Done(long stamp)
    {
        Records++;
        _highest = Math.Max(_highest, stamp);
    }

    /// <summary>A chat stamped <paramref name="stamp"/> is still being written: the next read takes it again.</summary>
    public void Hold(long stamp) => _heldBelow = Math.Min(_heldBelow, stamp);

    public void Warn(string message) => warn(message);

    /// <summary>A value as a JSON document; null (counted and warned about) when it is too large or not JSON.</summary>
    public JsonDocument? Json(byte[]? value, bool oversized, string what)
    {
        if (oversized)
        {
            Bad($"{what}: value over {CursorDatabase.MaxValueBytes} bytes skipped");
            return null;
        }

        if (value is null)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(value);
        }
        catch (JsonException ex)
        {
            Bad($"{what}: not JSON ({ex.Message})");
            return null;
        }
    }

    public void Bad(string message)
    {
        Malformed++;
        warn(message);
    }
}
