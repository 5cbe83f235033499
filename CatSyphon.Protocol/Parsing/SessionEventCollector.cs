using System.Text.Json;

namespace CatSyphon.Protocol.Parsing;

/// <summary>
/// Gathers one parse's events per session, in log order, for code that sends them in batches (the
/// collector's sync and the server's uploads). Usage is not kept: it travels inside the events.
/// An event the server would refuse (a value outside the protocol's limits, say a token count or a
/// timestamp a hostile or broken log line holds) is skipped with a warning, before numbering, so the
/// rest of its file still goes through and every sender numbers the same events alike.
/// </summary>
/// <param name="clock">The clock timestamps may lead by at most 24 hours; the system's when null.</param>
public sealed class SessionEventCollector(TimeProvider? clock = null) : IParsedLogSink
{
    /// <summary>Warnings kept in <see cref="Warnings"/>; the rest are only counted in <see cref="Skipped"/>.</summary>
    public const int MaxWarnings = 20;

    private readonly DateTimeOffset _now = (clock ?? TimeProvider.System).GetUtcNow();
    private readonly List<string> _warnings = [];

    public Dictionary<string, List<ParsedEvent>> BySession { get; } = new(StringComparer.Ordinal);

    /// <summary>Events kept.</summary>
    public long Count { get; private set; }

    /// <summary>Events skipped because the server would refuse them.</summary>
    public long Skipped { get; private set; }

    /// <summary>Why events were skipped (the first <see cref="MaxWarnings"/>).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public void OnEvent(ParsedSessionRef session, ParsedEvent parsedEvent)
    {
        if (Refusal(parsedEvent) is { } reason)
        {
            Skipped++;
            if (_warnings.Count < MaxWarnings)
            {
                _warnings.Add($"Skipped a {parsedEvent.Type} event of session {session.SessionId} at {ProtocolTimestamp.FormatCanonical(parsedEvent.EmittedAt)}: {reason}");
            }

            return;
        }

        Count++;
        (BySession.TryGetValue(session.SessionId, out var events) ? events : BySession[session.SessionId] = []).Add(parsedEvent);
    }

    public void OnUsage(TokenUsageRecord usage)
    {
        // Counted usage rides on the events themselves.
    }

    private string? Refusal(ParsedEvent parsedEvent)
    {
        using var data = JsonDocument.Parse(parsedEvent.Data);
        var errors = EventBatchValidator.CheckParsedEvent(parsedEvent.Type, parsedEvent.EmittedAt, data.RootElement, _now);
        if (errors.Count == 0)
        {
            return null;
        }

        var (key, messages) = errors.First();
        return $"{key["events[0].".Length..]} {messages[0]}";
    }
}
