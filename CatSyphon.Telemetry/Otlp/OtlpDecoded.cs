namespace CatSyphon.Telemetry.Otlp;

/// <summary>What one OTLP request held: its records normalised, and how many were rejected and why (the first reason).</summary>
public sealed record OtlpDecoded(IReadOnlyList<TelemetryEvent> Events, IReadOnlyList<TelemetryPoint> Points, long Rejected, string? RejectedReason)
{
    public int Count => Events.Count + Points.Count;
}

/// <summary>A request body that is not an OTLP message of its content type (answered 400, never retried).</summary>
public sealed class OtlpFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The two OTLP/HTTP encodings; a response is written in the request's.</summary>
public enum OtlpEncoding
{
    Protobuf,
    Json,
}

/// <summary>Counts rejected records and keeps the first reason, for the partial-success answer.</summary>
internal sealed class Rejections
{
    public long Count { get; private set; }

    public string? Reason { get; private set; }

    public void Add(string reason, long count = 1)
    {
        Count += count;
        Reason ??= reason;
    }
}
