using CatSyphon.Protocol.Parsing;
using CatSyphon.Telemetry.Otlp;
using CatSyphon.Telemetry.Otlp.Wire;
using Google.Protobuf;
using static CatSyphon.Telemetry.Tests.OtlpFixtures;

namespace CatSyphon.Telemetry.Tests;

/// <summary>Metric points with their temporality and series, as the totals of agent-telemetry.md §5.7 need them.</summary>
public class OtlpMetricDecodingTests
{
    [Theory]
    [InlineData(OtlpEncoding.Json)]
    [InlineData(OtlpEncoding.Protobuf)]
    public void Claude_code_metrics_are_delta_sums_with_their_type_model_and_decision(OtlpEncoding encoding)
    {
        var decoded = Metrics("claude-code-metrics.json", encoding);

        // 1 session + 2 cost + 4 token + 2 lines + 1 commit + 1 pull request + 1 decision + 2 active time points.
        Assert.Equal(14, decoded.Points.Count);
        Assert.Equal(0, decoded.Rejected);
        Assert.All(decoded.Points, p => Assert.Equal(
            (AgentTypes.ClaudeCode, "0b1e4d3c-7a7e-4c55-9d1a-2f6f1c3e9a01", TelemetryPointKind.Sum, TelemetryTemporality.Delta, "ada@example.com"),
            (p.Agent!, p.SessionId!, p.Kind, p.Temporality, p.UserEmail!)));

        var cost = decoded.Points.Where(p => p.Metric == "claude_code.cost.usage").ToList();
        Assert.Equal([0.25, 0.5], cost.Select(p => p.Value));
        Assert.Equal(("USD", "claude-sonnet-4-5"), (cost[0].Unit!, cost[0].Model!));
        Assert.Equal(At(1_765_000_060), cost[0].Time);
        Assert.Equal(At(1_765_000_000), cost[0].StartTime);
        // The same attributes at two times: one series.
        Assert.Equal(cost[0].SeriesKey, cost[1].SeriesKey);

        var tokens = decoded.Points.Where(p => p.Metric == "claude_code.token.usage").ToDictionary(p => p.Type!, p => p.Value);
        Assert.Equal(new Dictionary<string, double> { ["input"] = 1000, ["output"] = 200, ["cacheRead"] = 5000, ["cacheCreation"] = 300 }, tokens);
        Assert.Equal(4, decoded.Points.Where(p => p.Metric == "claude_code.token.usage").Select(p => p.SeriesKey).Distinct().Count());

        var decision = Assert.Single(decoded.Points, p => p.Metric == "claude_code.code_edit_tool.decision");
        Assert.Equal(("Edit", TelemetryDecisions.Accept, "config", 3.0), (decision.ToolName!, decision.Decision!, decision.DecisionSource!, decision.Value));

        var active = decoded.Points.Where(p => p.Metric == "claude_code.active_time.total").ToDictionary(p => p.Type!, p => p.Value);
        Assert.Equal(new Dictionary<string, double> { ["user"] = 42.5, ["cli"] = 17.25 }, active);
    }

    [Theory]
    [InlineData(OtlpEncoding.Json)]
    [InlineData(OtlpEncoding.Protobuf)]
    public void The_specification_metric_example_keeps_sum_gauge_and_histogram_and_rejects_the_exponential_histogram(OtlpEncoding encoding)
    {
        var decoded = Metrics("otlp-proto-example-metrics.json", encoding);

        Assert.Equal(["my.counter", "my.gauge", "my.histogram"], decoded.Points.Select(p => p.Metric));
        var (counter, gauge, histogram) = (decoded.Points[0], decoded.Points[1], decoded.Points[2]);
        Assert.Equal((TelemetryPointKind.Sum, TelemetryTemporality.Delta, 5.0), (counter.Kind, counter.Temporality, counter.Value));
        Assert.Equal((TelemetryPointKind.Gauge, TelemetryTemporality.Unspecified, 10.0), (gauge.Kind, gauge.Temporality, gauge.Value));
        Assert.Equal((TelemetryPointKind.Histogram, 2.0, 2L), (histogram.Kind, histogram.Value, histogram.Count!.Value));
        Assert.Null(counter.Agent);
        Assert.Equal(1, decoded.Rejected);
        Assert.Contains("my.exponential.histogram", decoded.RejectedReason);
    }

    [Fact]
    public void Cumulative_points_keep_their_temporality_and_series_and_a_point_without_value_is_rejected()
    {
        var sum = new Sum { AggregationTemporality = 2, IsMonotonic = true };
        sum.DataPoints.Add(Point(1_765_000_060, asInt: 10, ("type", "input")));
        sum.DataPoints.Add(Point(1_765_000_120, asInt: 25, ("type", "input")));
        sum.DataPoints.Add(Point(1_765_000_120, asInt: 4, ("type", "output")));
        sum.DataPoints.Add(new NumberDataPoint { TimeUnixNano = 1_765_000_120UL * 1_000_000_000 });
        var request = Request(new Metric { Name = "codex.turn.token_usage", Sum = sum }, "codex_exec");

        var decoded = OtlpDecoder.DecodeMetrics(request.ToByteArray(), OtlpEncoding.Protobuf, ReceivedAt);

        Assert.Equal(3, decoded.Points.Count);
        Assert.All(decoded.Points, p => Assert.Equal((TelemetryTemporality.Cumulative, AgentTypes.Codex), (p.Temporality, p.Agent!)));
        Assert.Equal(decoded.Points[0].SeriesKey, decoded.Points[1].SeriesKey);
        Assert.NotEqual(decoded.Points[0].SeriesKey, decoded.Points[2].SeriesKey);
        Assert.Equal("input", decoded.Points[0].Type);
        Assert.Equal(1, decoded.Rejected);
    }

    [Fact]
    public void Codex_token_type_is_read_as_the_type()
    {
        var sum = new Sum { AggregationTemporality = 1 };
        sum.DataPoints.Add(Point(1_765_000_060, asInt: 7, ("token_type", "cached_input")));

        var decoded = OtlpDecoder.DecodeMetrics(Request(new Metric { Name = "codex.turn.token_usage", Sum = sum }, "codex_cli_rs").ToByteArray(), OtlpEncoding.Protobuf, ReceivedAt);

        Assert.Equal("cached_input", Assert.Single(decoded.Points).Type);
    }

    internal static NumberDataPoint Point(long unixSeconds, long asInt, params (string Key, string Value)[] attributes)
    {
        var point = new NumberDataPoint { TimeUnixNano = (ulong)unixSeconds * 1_000_000_000, AsInt = asInt };
        foreach (var (key, value) in attributes)
        {
            point.Attributes.Add(new KeyValue { Key = key, Value = new AnyValue { StringValue = value } });
        }

        return point;
    }

    internal static ExportMetricsServiceRequest Request(Metric metric, string serviceName)
    {
        var resource = new Resource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = serviceName } });
        var scope = new ScopeMetrics();
        scope.Metrics.Add(metric);
        var resourceMetrics = new ResourceMetrics { Resource = resource };
        resourceMetrics.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(resourceMetrics);
        return request;
    }
}
