using System.Text;
using System.Text.Json;
using CatSyphon.Telemetry.Otlp;
using CatSyphon.Telemetry.Otlp.Wire;
using Google.Protobuf;
using static CatSyphon.Telemetry.Tests.OtlpFixtures;

namespace CatSyphon.Telemetry.Tests;

/// <summary>Hostile and unusual bodies: malformed ones throw the one format error (a 400), odd records are rejected or bounded.</summary>
public class OtlpEdgeCaseTests
{
    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"resourceLogs\":{}}")]
    [InlineData("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"soon\"}]}]}]}")]
    [InlineData("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"attributes\":[{\"key\":\"a\",\"value\":{\"intValue\":1.5}}]}]}]}]}")]
    [InlineData("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"attributes\":[{\"key\":\"a\",\"value\":{\"stringValue\":\"\\ud800\"}}]}]}]}]}")]
    public void A_body_that_is_not_otlp_json_is_a_format_error(string body)
    {
        Assert.Throws<OtlpFormatException>(() => OtlpDecoder.DecodeLogs(Encoding.UTF8.GetBytes(body), OtlpEncoding.Json, ReceivedAt));
    }

    [Fact]
    public void Bytes_that_are_not_protobuf_are_a_format_error()
    {
        var garbage = new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01 };

        Assert.Throws<OtlpFormatException>(() => OtlpDecoder.DecodeLogs(garbage, OtlpEncoding.Protobuf, ReceivedAt));
        Assert.Throws<OtlpFormatException>(() => OtlpDecoder.DecodeMetrics(garbage, OtlpEncoding.Protobuf, ReceivedAt));
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_hex_ids_read_and_an_empty_body_is_an_empty_request()
    {
        const string body = """
            {"resourceLogs":[{"schemaUrl":"x","future":{"a":1},"scopeLogs":[{"logRecords":[
              {"timeUnixNano":1765000000000000000,"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"not-hex","flags":1,
               "attributes":[{"key":"event.name","value":{"stringValue":"codex.user_prompt"}},{"key":"n","value":{}}]}]}]}]}
            """;

        var request = OtlpJsonReader.Logs(Encoding.UTF8.GetBytes(body));
        var decoded = OtlpDecoder.DecodeLogs(Encoding.UTF8.GetBytes(body), OtlpEncoding.Json, ReceivedAt);

        var record = request.ResourceLogs[0].ScopeLogs[0].LogRecords[0];
        Assert.Equal(Convert.FromHexString("5B8EFFF798038103D269B633813FC60C"), record.TraceId.ToByteArray());
        Assert.True(record.SpanId.IsEmpty);
        Assert.Equal("user_prompt", Assert.Single(decoded.Events).Name);
        Assert.Equal("""{"event.name":"codex.user_prompt"}""", decoded.Events[0].Attributes);
        Assert.Equal(0, OtlpDecoder.DecodeLogs("{}"u8.ToArray(), OtlpEncoding.Json, ReceivedAt).Count);
        Assert.Equal(0, OtlpDecoder.DecodeMetrics(Array.Empty<byte>(), OtlpEncoding.Protobuf, ReceivedAt).Count);
    }

    [Fact]
    public void Records_from_before_2000_or_far_in_the_future_are_rejected_and_the_rest_kept()
    {
        var request = Logs(
            Record(1_765_000_000, ("event.name", "api_request")),
            Record(1_000, ("event.name", "api_request")),
            Record(ReceivedAt.AddDays(2).ToUnixTimeSeconds(), ("event.name", "api_request")));

        var decoded = OtlpDecoder.DecodeLogs(request.ToByteArray(), OtlpEncoding.Protobuf, ReceivedAt);

        Assert.Single(decoded.Events);
        Assert.Equal(2, decoded.Rejected);
        Assert.Contains("outside the accepted range", decoded.RejectedReason);
    }

    [Fact]
    public void A_record_without_a_time_takes_its_event_timestamp_else_its_arrival()
    {
        var stamped = new LogRecord();
        stamped.Attributes.Add(Text("event.timestamp", "2025-12-06T05:46:40.000Z"));
        var unstamped = new LogRecord();

        var decoded = OtlpDecoder.DecodeLogs(Logs(stamped, unstamped).ToByteArray(), OtlpEncoding.Protobuf, ReceivedAt);

        Assert.Equal([At(1_765_000_000), ReceivedAt], decoded.Events.Select(e => e.OccurredAt));
    }

    [Fact]
    public void Attributes_are_bounded_in_number_key_and_value_length_and_hostile_numbers_are_absent()
    {
        var record = Record(1_765_000_000,
            ("event.name", "api_request"), ("input_tokens", "-5"), ("output_tokens", "1e30"), ("cost_usd", "NaN"), ("duration_ms", "12.5"),
            ("status_code", "70000"), ("error", new string('e', 5000)), (new string('k', 200), "dropped"));
        for (var i = 0; i < 100; i++)
        {
            record.Attributes.Add(Text($"extra.{i}", "x"));
        }

        var decoded = OtlpDecoder.DecodeLogs(Logs(record).ToByteArray(), OtlpEncoding.Protobuf, ReceivedAt);

        var normalised = Assert.Single(decoded.Events);
        Assert.Equal((null, null, null, 12.5, null), (normalised.InputTokens, normalised.OutputTokens, normalised.CostUsd, normalised.DurationMs, normalised.StatusCode));
        using var attributes = JsonDocument.Parse(normalised.Attributes);
        var kept = attributes.RootElement.EnumerateObject().ToList();
        Assert.Equal(TelemetryLimits.MaxAttributes, kept.Count);
        Assert.DoesNotContain(kept, p => p.Name.Length > TelemetryLimits.MaxKeyLength);
        Assert.Equal(TelemetryLimits.MaxValueLength, attributes.RootElement.GetProperty("error").GetString()!.Length);
    }

    [Fact]
    public void A_session_id_longer_than_the_protocol_allows_is_cut_to_it()
    {
        var decoded = OtlpDecoder.DecodeLogs(Logs(Record(1_765_000_000, ("session.id", new string('s', 400)))).ToByteArray(), OtlpEncoding.Protobuf, ReceivedAt);

        Assert.Equal(TelemetryLimits.MaxShortText, Assert.Single(decoded.Events).SessionId!.Length);
    }

    [Theory]
    [InlineData("application/x-protobuf", OtlpEncoding.Protobuf)]
    [InlineData("application/protobuf", OtlpEncoding.Protobuf)]
    [InlineData("application/json; charset=utf-8", OtlpEncoding.Json)]
    [InlineData("Application/JSON", OtlpEncoding.Json)]
    [InlineData("text/plain", null)]
    [InlineData(null, null)]
    public void The_content_type_names_the_encoding(string? contentType, OtlpEncoding? expected)
    {
        Assert.Equal(expected, OtlpDecoder.EncodingOf(contentType));
    }

    internal static LogRecord Record(long unixSeconds, params (string Key, string Value)[] attributes)
    {
        var record = new LogRecord { TimeUnixNano = (ulong)unixSeconds * 1_000_000_000 };
        foreach (var (key, value) in attributes)
        {
            record.Attributes.Add(Text(key, value));
        }

        return record;
    }

    internal static ExportLogsServiceRequest Logs(params LogRecord[] records)
    {
        var scope = new ScopeLogs();
        scope.LogRecords.Add(records);
        var resourceLogs = new ResourceLogs { Resource = new Resource() };
        resourceLogs.ScopeLogs.Add(scope);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(resourceLogs);
        return request;
    }

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
