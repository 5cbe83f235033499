using CatSyphon.Telemetry.Otlp;
using Google.Protobuf;

namespace CatSyphon.Telemetry.Tests;

/// <summary>The fixture bodies, as sent (OTLP/JSON) and re-encoded as the protobuf an exporter would send instead.</summary>
internal static class OtlpFixtures
{
    /// <summary>After every fixture's timestamps (2018 and 2025): nothing is rejected for being early or late.</summary>
    public static readonly DateTimeOffset ReceivedAt = new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero);

    public static byte[] Json(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static byte[] LogsProtobuf(string name) => OtlpJsonReader.Logs(Json(name)).ToByteArray();

    public static byte[] MetricsProtobuf(string name) => OtlpJsonReader.Metrics(Json(name)).ToByteArray();

    public static OtlpDecoded Logs(string name, OtlpEncoding encoding) =>
        OtlpDecoder.DecodeLogs(encoding == OtlpEncoding.Json ? Json(name) : LogsProtobuf(name), encoding, ReceivedAt);

    public static OtlpDecoded Metrics(string name, OtlpEncoding encoding) =>
        OtlpDecoder.DecodeMetrics(encoding == OtlpEncoding.Json ? Json(name) : MetricsProtobuf(name), encoding, ReceivedAt);

    public static DateTimeOffset At(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
}
