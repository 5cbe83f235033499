using CatSyphon.Telemetry.Otlp.Wire;
using Google.Protobuf;

namespace CatSyphon.Telemetry.Otlp;

/// <summary>
/// The OTLP/HTTP request bodies of <c>/v1/logs</c> and <c>/v1/metrics</c>, protobuf or JSON, as normalised records.
/// Throws <see cref="OtlpFormatException"/> for a body that is not such a message; anything else it holds is either kept
/// or counted as rejected, never thrown.
/// </summary>
public static class OtlpDecoder
{
    /// <summary>The encoding a <c>Content-Type</c> names, or null for one OTLP/HTTP does not define.</summary>
    public static OtlpEncoding? EncodingOf(string? contentType)
    {
        var mediaType = contentType?.Split(';', 2)[0].Trim();
        return mediaType switch
        {
            _ when string.Equals(mediaType, "application/x-protobuf", StringComparison.OrdinalIgnoreCase)
                || string.Equals(mediaType, "application/protobuf", StringComparison.OrdinalIgnoreCase) => OtlpEncoding.Protobuf,
            _ when string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase) => OtlpEncoding.Json,
            _ => null,
        };
    }

    public static OtlpDecoded DecodeLogs(ReadOnlyMemory<byte> body, OtlpEncoding encoding, DateTimeOffset receivedAt) =>
        Guarded(() => OtlpLogNormaliser.Normalise(
            encoding == OtlpEncoding.Json ? OtlpJsonReader.Logs(body) : Protobuf(ExportLogsServiceRequest.Parser, body),
            receivedAt));

    public static OtlpDecoded DecodeMetrics(ReadOnlyMemory<byte> body, OtlpEncoding encoding, DateTimeOffset receivedAt) =>
        Guarded(() => OtlpMetricNormaliser.Normalise(
            encoding == OtlpEncoding.Json ? OtlpJsonReader.Metrics(body) : Protobuf(ExportMetricsServiceRequest.Parser, body),
            receivedAt));

    /// <summary>
    /// Whatever a hostile body makes the readers throw (text that is not valid UTF-16, such as a lone surrogate escape,
    /// a recursion too deep...) is a malformed body, never a server error.
    /// </summary>
    private static OtlpDecoded Guarded(Func<OtlpDecoded> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw new OtlpFormatException($"The body could not be read: {exception.Message}", exception);
        }
    }

    private static T Protobuf<T>(MessageParser<T> parser, ReadOnlyMemory<byte> body) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new OtlpFormatException($"The body is not OTLP protobuf: {exception.Message}", exception);
        }
    }
}
