namespace CatSyphon.Telemetry;

/// <summary>
/// Bounds on what one OTLP record keeps: exporters are untrusted, so every kept value is bounded like the collector
/// protocol's values (docs/collector-protocol.md, "Value limits").
/// </summary>
public static class TelemetryLimits
{
    /// <summary>Attributes kept per record (resource and record together); the rest are dropped.</summary>
    public const int MaxAttributes = 64;

    /// <summary>Longest attribute key kept; a longer key drops its attribute.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>Longest kept text (ids, names, emails, models): the protocol's short text fields.</summary>
    public const int MaxShortText = 255;

    /// <summary>Longest kept attribute value (an error message, an array as JSON); longer is cut.</summary>
    public const int MaxValueLength = 1024;

    /// <summary>Largest token count kept: the protocol's largest count of one API response.</summary>
    public const long MaxTokens = Protocol.ProtocolLimits.MaxTokenCount;

    /// <summary>Largest metric value, cost or duration kept; beyond it the value is treated as absent or the point rejected.</summary>
    public const double MaxMagnitude = 1e15;

    /// <summary>Timestamps may run ahead of the server's clock by this much (clock skew); later is a rejected record.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromDays(1);

    /// <summary>Timestamps before this are rejected (a garbage clock; OTLP's own examples date from 2018).</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Attributes never kept: prompt, response and tool contents and raw API bodies are personal data the pages do
    /// not need (their lengths and sizes, which the agents send apart, are kept).
    /// </summary>
    public static readonly IReadOnlySet<string> ContentAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        "prompt", "prompt_text", "response", "tool_input", "tool_parameters", "body", "output", "arguments",
    };
}
