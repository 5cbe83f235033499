using CatSyphon.Telemetry.Otlp.Wire;
using Google.Protobuf.Collections;

namespace CatSyphon.Telemetry.Otlp;

/// <summary>
/// OTLP metric points (sums, gauges, histograms) as <see cref="TelemetryPoint"/>s, each with its temporality and series
/// so totals can be summed (delta) or taken from each series' latest point (cumulative). Exponential histograms and
/// summaries, which no agent sends, are rejected.
/// </summary>
internal static class OtlpMetricNormaliser
{
    public static OtlpDecoded Normalise(ExportMetricsServiceRequest request, DateTimeOffset receivedAt)
    {
        var points = new List<TelemetryPoint>();
        var rejections = new Rejections();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var resource = resourceMetrics.Resource?.Attributes;
            var source = new Source(OtlpLogNormaliser.ServiceName(resource), resource, receivedAt);
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                foreach (var metric in scopeMetrics.Metrics)
                {
                    Normalise(metric, source with { Scope = scopeMetrics.Scope?.Name }, points, rejections);
                }
            }
        }

        return new OtlpDecoded([], points, rejections.Count, rejections.Reason);
    }

    private static void Normalise(Metric metric, Source source, List<TelemetryPoint> points, Rejections rejections)
    {
        if (OtlpValue.Bounded(metric.Name) is not { } name)
        {
            rejections.Add("A metric has no name.", Math.Max(1, PointCount(metric)));
            return;
        }

        var shape = new Shape(name, OtlpValue.Bounded(metric.Unit), source);
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Sum:
                AddNumbers(metric.Sum.DataPoints, shape with { Kind = TelemetryPointKind.Sum, Temporality = Temporality(metric.Sum.AggregationTemporality) }, points, rejections);
                break;
            case Metric.DataOneofCase.Gauge:
                AddNumbers(metric.Gauge.DataPoints, shape with { Kind = TelemetryPointKind.Gauge }, points, rejections);
                break;
            case Metric.DataOneofCase.Histogram:
                AddHistograms(metric.Histogram, shape with { Kind = TelemetryPointKind.Histogram, Temporality = Temporality(metric.Histogram.AggregationTemporality) }, points, rejections);
                break;
            case Metric.DataOneofCase.ExponentialHistogram or Metric.DataOneofCase.Summary:
                rejections.Add($"Metric '{name}': exponential histograms and summaries are not stored.");
                break;
        }
    }

    private static void AddNumbers(RepeatedField<NumberDataPoint> dataPoints, Shape shape, List<TelemetryPoint> points, Rejections rejections)
    {
        foreach (var point in dataPoints)
        {
            double? value = point.ValueCase switch
            {
                NumberDataPoint.ValueOneofCase.AsInt => point.AsInt,
                NumberDataPoint.ValueOneofCase.AsDouble => point.AsDouble,
                _ => null,
            };
            if (Point(shape, point.Attributes, point.StartTimeUnixNano, point.TimeUnixNano, value, null, rejections) is { } normalised)
            {
                points.Add(normalised);
            }
        }
    }

    private static void AddHistograms(Histogram histogram, Shape shape, List<TelemetryPoint> points, Rejections rejections)
    {
        foreach (var point in histogram.DataPoints)
        {
            var count = point.Count <= long.MaxValue ? (long)point.Count : (long?)null;
            if (Point(shape, point.Attributes, point.StartTimeUnixNano, point.TimeUnixNano, point.HasSum ? point.Sum : 0, count, rejections) is { } normalised)
            {
                points.Add(normalised);
            }
        }
    }

    private static TelemetryPoint? Point(
        Shape shape, RepeatedField<KeyValue> own, ulong startNanos, ulong timeNanos, double? value, long? count, Rejections rejections)
    {
        if (value is not { } number || !double.IsFinite(number) || Math.Abs(number) > TelemetryLimits.MaxMagnitude)
        {
            rejections.Add($"A point of metric '{shape.Name}' has no finite value within ±{TelemetryLimits.MaxMagnitude:E0}.");
            return null;
        }

        var stated = OtlpValue.Time(timeNanos);
        if (OtlpLogNormaliser.CheckedTime(stated, shape.Source.ReceivedAt) is not { } time)
        {
            rejections.Add($"A point of metric '{shape.Name}' has a time ({stated:O}) outside the accepted range.");
            return null;
        }

        var attributes = new OtlpAttributes(own, shape.Source.Resource);
        return new TelemetryPoint
        {
            Agent = AgentRecognition.Agent(shape.Source.ServiceName, shape.Source.Scope, shape.Name, attributes),
            Metric = shape.Name,
            Unit = shape.Unit,
            Kind = shape.Kind,
            Temporality = shape.Kind == TelemetryPointKind.Gauge ? TelemetryTemporality.Unspecified : shape.Temporality,
            SessionId = AgentRecognition.SessionId(attributes),
            StartTime = OtlpValue.Time(startNanos),
            Time = time,
            Value = number,
            Count = count,
            SeriesKey = attributes.SeriesKey(shape.Name, shape.Kind),
            UserEmail = attributes.Text("user.email"),
            AccountId = attributes.FirstText("user.account_uuid", "user.account_id"),
            Type = attributes.FirstText("type", "token_type"),
            Model = attributes.Text("model"),
            Decision = AgentRecognition.Decision(attributes.Text("decision")),
            DecisionSource = attributes.Text("source"),
            ToolName = attributes.FirstText("tool_name", "tool"),
            Attributes = attributes.ToJson(),
        };
    }

    private static TelemetryTemporality Temporality(int value) =>
        value is (int)TelemetryTemporality.Delta or (int)TelemetryTemporality.Cumulative ? (TelemetryTemporality)value : TelemetryTemporality.Unspecified;

    private static int PointCount(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        _ => 1,
    };

    /// <summary>What the points of one resource share.</summary>
    private sealed record Source(string? ServiceName, RepeatedField<KeyValue>? Resource, DateTimeOffset ReceivedAt)
    {
        public string? Scope { get; init; }
    }

    /// <summary>What the points of one metric share.</summary>
    private sealed record Shape(string Name, string? Unit, Source Source)
    {
        public TelemetryPointKind Kind { get; init; }

        public TelemetryTemporality Temporality { get; init; }
    }
}
