using System.Globalization;

namespace CatSyphon.Protocol.Parsing.Aider;

/// <summary>
/// One of aider's per-request reports, <c>Tokens: 5.8k sent[, 1k cache write][, 2k cache hit], 183 received.[ Cost: $0.02
/// message, $0.07 session.]</c>. Aider prints the counts rounded (<c>format_tokens</c>: as is under 1000, one decimal and
/// <c>k</c> under 10000, whole thousands above), so every count here is approximate; the costs are aider's own (litellm
/// prices), present only when it knows the model's price.
/// </summary>
internal sealed record AiderTokenReport(long Sent, long Received, long CacheWrite, long CacheHit)
{
    public const string Prefix = "Tokens: ";
    private const string CostPrefix = "Cost: $";

    // A cost above this is not a price but garbage; it is dropped rather than sent.
    private const decimal MaxCostUsd = 1_000_000m;

    public decimal? MessageCostUsd { get; private set; }

    public decimal? SessionCostUsd { get; private set; }

    /// <summary>The report in <paramref name="text"/> (a tool line without its <c>&gt; </c>), or null when it is not one.</summary>
    public static AiderTokenReport? TryParse(ReadOnlySpan<char> text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = text[Prefix.Length..];
        var end = rest.IndexOf(" received.", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        long sent = 0, received = 0, write = 0, hit = 0;
        foreach (var range in rest[..(end + " received".Length)].Split(", "))
        {
            var part = rest[range];
            var space = part.IndexOf(' ');
            if (space <= 0 || !TryParseCount(part[..space], out var count))
            {
                return null;
            }

            switch (part[(space + 1)..])
            {
                case "sent": sent = count; break;
                case "received": received = count; break;
                case "cache write": write = count; break;
                case "cache hit": hit = count; break;
                default: return null;
            }
        }

        var report = new AiderTokenReport(sent, received, write, hit);
        report.AddCost(rest[(end + " received.".Length)..].TrimStart(" \n"));
        return report;
    }

    /// <summary>
    /// Takes <c>Cost: $m message, $s session.</c> from <paramref name="text"/>, the rest of the report (on a line of its
    /// own when aider reports both cache writes and hits).
    /// </summary>
    private void AddCost(ReadOnlySpan<char> text)
    {
        if (!text.StartsWith(CostPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var rest = text[CostPrefix.Length..];
        var message = rest.IndexOf(" message, $", StringComparison.Ordinal);
        var session = rest.IndexOf(" session.", StringComparison.Ordinal);
        if (message <= 0 || session <= message + " message, $".Length
            || !TryParseCost(rest[..message], out var messageCost)
            || !TryParseCost(rest[(message + " message, $".Length)..session], out var sessionCost))
        {
            return;
        }

        (MessageCostUsd, SessionCostUsd) = (messageCost, sessionCost);
    }

    /// <summary><c>183</c>, <c>5.8k</c> or <c>12k</c> as a count, bounded to what the protocol accepts.</summary>
    private static bool TryParseCount(ReadOnlySpan<char> text, out long count)
    {
        var multiplier = 1m;
        if (text.EndsWith('k'))
        {
            multiplier = 1000m;
            text = text[..^1];
        }

        count = 0;
        if (text.Length is 0 or > 12 || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        count = (long)Math.Min(Math.Round(value * multiplier), ProtocolLimits.MaxTokenCount);
        return true;
    }

    private static bool TryParseCost(ReadOnlySpan<char> text, out decimal cost) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out cost) && cost <= MaxCostUsd;
}
