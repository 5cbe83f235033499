using System.Buffers;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using CatSyphon.Telemetry.Otlp.Wire;
using Google.Protobuf.Collections;

namespace CatSyphon.Telemetry.Otlp;

/// <summary>
/// The attributes of one record: its own, then its resource's (Claude Code repeats resource attributes on every
/// record; a record's own value wins). Bounded to <see cref="TelemetryLimits.MaxAttributes"/> keys; content attributes
/// (<see cref="TelemetryLimits.ContentAttributes"/>) are never kept.
/// </summary>
internal sealed class OtlpAttributes
{
    private const int MaxDepth = 8;
    private readonly Dictionary<string, AnyValue> values = new(StringComparer.Ordinal);

    public OtlpAttributes(RepeatedField<KeyValue> own, RepeatedField<KeyValue>? resource)
    {
        Add(own);
        if (resource is not null)
        {
            Add(resource);
        }
    }

    public AnyValue? this[string key] => values.GetValueOrDefault(key);

    public string? Text(string key) => OtlpValue.Bounded(OtlpValue.Text(this[key]));

    public string? FirstText(string key, string other) => Text(key) ?? Text(other);

    public double? Number(string key) => OtlpValue.Number(this[key]);

    public long? Count(string key) => OtlpValue.Count(this[key]);

    public bool? Flag(string key) => OtlpValue.Flag(this[key]);

    /// <summary>The kept attributes as one JSON object: strings (bounded), numbers, booleans; arrays and maps as JSON text.</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                writer.WritePropertyName(key);
                WriteScalar(writer, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A key naming the series of a metric point: its metric, kind and every attribute, in key order.</summary>
    public string SeriesKey(string metric, TelemetryPointKind kind)
    {
        var text = new StringBuilder(metric).Append('\u0001').Append((int)kind);
        foreach (var key in values.Keys.Order(StringComparer.Ordinal))
        {
            text.Append('\u0001').Append(key).Append('\u0002').Append(OtlpValue.Text(values[key]) ?? Nested(values[key]));
        }

        return Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private void Add(RepeatedField<KeyValue> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (values.Count >= TelemetryLimits.MaxAttributes)
            {
                return;
            }

            var key = attribute.Key;
            if (key.Length is > 0 and <= TelemetryLimits.MaxKeyLength
                && attribute.Value is { ValueCase: not AnyValue.ValueOneofCase.None } value
                && !TelemetryLimits.ContentAttributes.Contains(key))
            {
                values.TryAdd(key, value);
            }
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, AnyValue value)
    {
        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.IntValue:
                writer.WriteNumberValue(value.IntValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue when double.IsFinite(value.DoubleValue):
                writer.WriteNumberValue(value.DoubleValue);
                break;
            case AnyValue.ValueOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            case AnyValue.ValueOneofCase.StringValue:
                writer.WriteStringValue(OtlpValue.Bounded(value.StringValue, TelemetryLimits.MaxValueLength) ?? "");
                break;
            default:
                writer.WriteStringValue(OtlpValue.Bounded(Nested(value), TelemetryLimits.MaxValueLength) ?? "");
                break;
        }
    }

    /// <summary>An array, map, bytes or non-finite value as compact JSON text (depth bounded).</summary>
    private static string Nested(AnyValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteAny(writer, value, 0);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteAny(Utf8JsonWriter writer, AnyValue value, int depth)
    {
        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.ArrayValue when depth < MaxDepth:
                writer.WriteStartArray();
                foreach (var item in value.ArrayValue.Values)
                {
                    WriteAny(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case AnyValue.ValueOneofCase.KvlistValue when depth < MaxDepth:
                writer.WriteStartObject();
                foreach (var pair in value.KvlistValue.Values)
                {
                    writer.WritePropertyName(pair.Key);
                    WriteAny(writer, pair.Value ?? new AnyValue(), depth + 1);
                }

                writer.WriteEndObject();
                break;
            case AnyValue.ValueOneofCase.BytesValue:
                writer.WriteBase64StringValue(value.BytesValue.Span);
                break;
            case AnyValue.ValueOneofCase.DoubleValue when !double.IsFinite(value.DoubleValue):
                writer.WriteStringValue(value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case AnyValue.ValueOneofCase.None or AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue:
                writer.WriteNullValue();
                break;
            default:
                WriteScalar(writer, value);
                break;
        }
    }
}
