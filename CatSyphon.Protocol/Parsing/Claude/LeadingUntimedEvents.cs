namespace CatSyphon.Protocol.Parsing.Claude;

/// <summary>
/// Holds the events of lines read before any timestamp of a parse (Claude Code writes its <c>summary</c> records, the
/// session's own title, at the top of a file and without a timestamp) and gives them the first timestamp that follows.
/// Left at the epoch they would be refused as out of range by the collector and the server, and the summary lost. The
/// event hashes are not touched: they are computed over the line's own timestamp, the epoch, so they stay the same
/// whichever line follows. Events still held when the parse ends go out with the epoch, as before.
/// </summary>
internal sealed class LeadingUntimedEvents(IParsedLogSink sink) : IParsedLogSink
{
    /// <summary>A file could start with any number of untimed lines: past this many they are passed on unheld.</summary>
    private const int MaxHeld = 64;

    private List<(ParsedSessionRef Session, ParsedEvent Event)>? _held = [];

    /// <summary>Passes every held event on with <paramref name="timestamp"/> (or its own, when null) and holds no more.</summary>
    public void Release(DateTimeOffset? timestamp)
    {
        if (_held is not { } held)
        {
            return;
        }

        _held = null;
        foreach (var (session, parsedEvent) in held)
        {
            sink.OnEvent(session, timestamp is { } at ? parsedEvent with { EmittedAt = at } : parsedEvent);
        }
    }

    public void OnEvent(ParsedSessionRef session, ParsedEvent parsedEvent)
    {
        if (_held is { Count: < MaxHeld } held)
        {
            held.Add((session, parsedEvent));
            return;
        }

        sink.OnEvent(session, parsedEvent);
    }

    public void OnEvent(ParsedSessionRef session, string type, DateTimeOffset emittedAt, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> data)
    {
        if (_held is { Count: < MaxHeld } held)
        {
            held.Add((session, new ParsedEvent(type, emittedAt, Convert.ToHexStringLower(hash), data.ToArray())));
            return;
        }

        sink.OnEvent(session, type, emittedAt, hash, data);
    }

    public void OnUsage(TokenUsageRecord usage) => sink.OnUsage(usage);
}
