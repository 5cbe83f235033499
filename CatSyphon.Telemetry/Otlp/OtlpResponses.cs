using System.Buffers;
using System.Text.Json;
using CatSyphon.Telemetry.Otlp.Wire;
using Google.Protobuf;

namespace CatSyphon.Telemetry.Otlp;

/// <summary>
/// OTLP/HTTP answers in the request's encoding: an <c>Export*ServiceResponse</c> (empty, or with its partial success)
/// for 200, a <c>google.rpc.Status</c> for a failure.
/// </summary>
public static class OtlpResponses
{
    /// <summary>The gRPC code of a failure (google.rpc.Code) for an HTTP status.</summary>
    private static int RpcCode(int httpStatus) => httpStatus switch
    {
        400 or 413 or 415 => 3, // INVALID_ARGUMENT
        401 => 16, // UNAUTHENTICATED
        403 => 7, // PERMISSION_DENIED
        429 => 8, // RESOURCE_EXHAUSTED
        503 => 14, // UNAVAILABLE
        _ => 2, // UNKNOWN
    };

    public static string ContentType(OtlpEncoding encoding) => encoding == OtlpEncoding.Json ? "application/json" : "application/x-protobuf";

    public static byte[] Logs(OtlpEncoding encoding, long rejected, string? reason) =>
        encoding == OtlpEncoding.Protobuf
            ? new ExportLogsServiceResponse { PartialSuccess = rejected > 0 ? new() { RejectedLogRecords = rejected, ErrorMessage = reason ?? "" } : null }.ToByteArray()
            : Json(rejected, reason, "rejectedLogRecords");

    public static byte[] Metrics(OtlpEncoding encoding, long rejected, string? reason) =>
        encoding == OtlpEncoding.Protobuf
            ? new ExportMetricsServiceResponse { PartialSuccess = rejected > 0 ? new() { RejectedDataPoints = rejected, ErrorMessage = reason ?? "" } : null }.ToByteArray()
            : Json(rejected, reason, "rejectedDataPoints");

    /// <summary>An empty <c>Export*ServiceResponse</c> (traces: accepted, nothing stored).</summary>
    public static byte[] Empty(OtlpEncoding encoding) => encoding == OtlpEncoding.Protobuf ? [] : "{}"u8.ToArray();

    public static byte[] Status(OtlpEncoding encoding, int httpStatus, string message)
    {
        var status = new Status { Code = RpcCode(httpStatus), Message = message };
        if (encoding == OtlpEncoding.Protobuf)
        {
            return status.ToByteArray();
        }

        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", status.Code);
            writer.WriteString("message", status.Message);
            writer.WriteEndObject();
        });
    }

    /// <summary>OTLP/JSON of a response: <c>{}</c>, or its <c>partialSuccess</c> (an int64, so written as a string).</summary>
    private static byte[] Json(long rejected, string? reason, string rejectedField) => Write(writer =>
    {
        writer.WriteStartObject();
        if (rejected > 0)
        {
            writer.WriteStartObject("partialSuccess");
            writer.WriteString(rejectedField, rejected.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("errorMessage", reason ?? "");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
