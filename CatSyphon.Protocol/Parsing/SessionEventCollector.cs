namespace CatSyphon.Protocol.Parsing;

/// <summary>
/// Gathers one parse's events per session, in log order, for code that sends them in batches (the
/// collector's sync and the server's uploads). Usage is not kept: it travels inside the events.
/// </summary>
public sealed class SessionEventCollector : IParsedLogSink
{
    public Dictionary<string, List<ParsedEvent>> BySession { get; } = new(StringComparer.Ordinal);

    public long Count { get; private set; }

    public void OnEvent(ParsedSessionRef session, ParsedEvent parsedEvent)
    {
        Count++;
        (BySession.TryGetValue(session.SessionId, out var events) ? events : BySession[session.SessionId] = []).Add(parsedEvent);
    }

    public void OnUsage(TokenUsageRecord usage)
    {
        // Counted usage rides on the events themselves.
    }
}
