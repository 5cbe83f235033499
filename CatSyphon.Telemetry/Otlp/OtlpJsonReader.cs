using System.Text.Json;
using CatSyphon.Telemetry.Otlp.Wire;
using Google.Protobuf;
using Google.Protobuf.Collections;
using static CatSyphon.Telemetry.Otlp.OtlpJsonValues;

namespace CatSyphon.Telemetry.Otlp;

/// <summary>
/// OTLP/JSON read by hand into the protobuf messages, so one normaliser serves both encodings. OTLP/JSON differs from the
/// protobuf JSON mapping (agent-telemetry.md §3): trace and span ids are hex, enums are integers, and 64-bit integers
/// come as strings or (Claude Code's exporter) as numbers. Unknown fields are ignored; a known field of the wrong JSON
/// type is a malformed body.
/// </summary>
internal static class OtlpJsonReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    public static ExportLogsServiceRequest Logs(ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        var request = new ExportLogsServiceRequest();
        foreach (var resourceLogs in Array(document.RootElement, "resourceLogs"))
        {
            var item = new ResourceLogs { Resource = Resource(resourceLogs) };
            foreach (var scopeLogs in Array(resourceLogs, "scopeLogs"))
            {
                var scope = new ScopeLogs { Scope = Scope(scopeLogs) };
                foreach (var record in Array(scopeLogs, "logRecords"))
                {
                    scope.LogRecords.Add(LogRecord(record));
                }

                item.ScopeLogs.Add(scope);
            }

            request.ResourceLogs.Add(item);
        }

        return request;
    }

    public static ExportMetricsServiceRequest Metrics(ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        var request = new ExportMetricsServiceRequest();
        foreach (var resourceMetrics in Array(document.RootElement, "resourceMetrics"))
        {
            var item = new ResourceMetrics { Resource = Resource(resourceMetrics) };
            foreach (var scopeMetrics in Array(resourceMetrics, "scopeMetrics"))
            {
                var scope = new ScopeMetrics { Scope = Scope(scopeMetrics) };
                foreach (var metric in Array(scopeMetrics, "metrics"))
                {
                    scope.Metrics.Add(Metric(metric));
                }

                item.ScopeMetrics.Add(scope);
            }

            request.ResourceMetrics.Add(item);
        }

        return request;
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            var document = JsonDocument.Parse(body, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new OtlpFormatException("The body is not a JSON object.");
            }

            return document;
        }
        catch (JsonException exception)
        {
            throw new OtlpFormatException($"The body is not valid JSON: {exception.Message}", exception);
        }
    }

    private static LogRecord LogRecord(JsonElement element)
    {
        var record = new LogRecord
        {
            TimeUnixNano = UInt64(element, "timeUnixNano"),
            ObservedTimeUnixNano = UInt64(element, "observedTimeUnixNano"),
            SeverityNumber = (int)Int64(element, "severityNumber"),
            SeverityText = String(element, "severityText"),
            EventName = String(element, "eventName"),
            TraceId = Hex(element, "traceId"),
            SpanId = Hex(element, "spanId"),
        };
        if (Field(element, "body") is { } body)
        {
            record.Body = Any(body);
        }

        Attributes(element, "attributes", record.Attributes);
        return record;
    }

    private static Metric Metric(JsonElement element)
    {
        var metric = new Metric { Name = String(element, "name"), Unit = String(element, "unit"), Description = String(element, "description") };
        if (Field(element, "sum") is { } sum)
        {
            metric.Sum = new Sum { AggregationTemporality = Temporality(sum), IsMonotonic = Bool(sum, "isMonotonic") };
            NumberPoints(sum, metric.Sum.DataPoints);
        }
        else if (Field(element, "gauge") is { } gauge)
        {
            metric.Gauge = new Gauge();
            NumberPoints(gauge, metric.Gauge.DataPoints);
        }
        else if (Field(element, "histogram") is { } histogram)
        {
            metric.Histogram = new Histogram { AggregationTemporality = Temporality(histogram) };
            foreach (var point in Array(histogram, "dataPoints"))
            {
                var item = new HistogramDataPoint
                {
                    StartTimeUnixNano = UInt64(point, "startTimeUnixNano"),
                    TimeUnixNano = UInt64(point, "timeUnixNano"),
                    Count = UInt64(point, "count"),
                };
                if (Field(point, "sum") is { } pointSum)
                {
                    item.Sum = Double(pointSum);
                }

                Attributes(point, "attributes", item.Attributes);
                metric.Histogram.DataPoints.Add(item);
            }
        }
        else if (Field(element, "exponentialHistogram") is not null || Field(element, "summary") is not null)
        {
            // Only its presence matters: such points are rejected, not read.
            metric.Summary = ByteString.Empty;
        }

        return metric;
    }

    private static void NumberPoints(JsonElement parent, RepeatedField<NumberDataPoint> points)
    {
        foreach (var point in Array(parent, "dataPoints"))
        {
            var item = new NumberDataPoint { StartTimeUnixNano = UInt64(point, "startTimeUnixNano"), TimeUnixNano = UInt64(point, "timeUnixNano") };
            if (Field(point, "asInt") is { } asInt)
            {
                item.AsInt = Int64(asInt);
            }
            else if (Field(point, "asDouble") is { } asDouble)
            {
                item.AsDouble = Double(asDouble);
            }

            Attributes(point, "attributes", item.Attributes);
            points.Add(item);
        }
    }

    private static int Temporality(JsonElement element) => Field(element, "aggregationTemporality") switch
    {
        null => 0,
        { ValueKind: JsonValueKind.String } name when name.ValueEquals("AGGREGATION_TEMPORALITY_DELTA") => 1,
        { ValueKind: JsonValueKind.String } name when name.ValueEquals("AGGREGATION_TEMPORALITY_CUMULATIVE") => 2,
        { } value => (int)Int64(value),
    };

    private static Resource Resource(JsonElement parent)
    {
        var resource = new Resource();
        if (Field(parent, "resource") is { } element)
        {
            Attributes(element, "attributes", resource.Attributes);
        }

        return resource;
    }

    private static InstrumentationScope Scope(JsonElement parent)
    {
        var scope = new InstrumentationScope();
        if (Field(parent, "scope") is { } element)
        {
            scope.Name = String(element, "name");
            scope.Version = String(element, "version");
            Attributes(element, "attributes", scope.Attributes);
        }

        return scope;
    }

    private static void Attributes(JsonElement parent, string name, RepeatedField<KeyValue> into)
    {
        foreach (var pair in Array(parent, name))
        {
            var keyValue = new KeyValue { Key = String(pair, "key") };
            if (Field(pair, "value") is { } value)
            {
                keyValue.Value = Any(value);
            }

            into.Add(keyValue);
        }
    }

    /// <summary>An <c>AnyValue</c>: an object with one of its value fields; an empty object is an empty value. Nesting is bounded by the document's depth.</summary>
    private static AnyValue Any(JsonElement element)
    {
        Expect(element, JsonValueKind.Object, "an AnyValue");
        var value = new AnyValue();
        if (Field(element, "stringValue") is { } text)
        {
            value.StringValue = Expect(text, JsonValueKind.String, "stringValue").GetString()!;
        }
        else if (Field(element, "intValue") is { } integer)
        {
            value.IntValue = Int64(integer);
        }
        else if (Field(element, "doubleValue") is { } number)
        {
            value.DoubleValue = Double(number);
        }
        else if (Field(element, "boolValue") is { } flag)
        {
            value.BoolValue = Bool(flag);
        }
        else if (Field(element, "bytesValue") is { } bytes)
        {
            value.BytesValue = Base64(bytes);
        }
        else if (Field(element, "arrayValue") is { } array)
        {
            value.ArrayValue = new ArrayValue();
            foreach (var item in Array(array, "values"))
            {
                value.ArrayValue.Values.Add(Any(item));
            }
        }
        else if (Field(element, "kvlistValue") is { } map)
        {
            value.KvlistValue = new KeyValueList();
            Attributes(map, "values", value.KvlistValue.Values);
        }

        return value;
    }
}
