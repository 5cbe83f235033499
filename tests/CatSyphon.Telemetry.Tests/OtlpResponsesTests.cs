using System.Text;
using CatSyphon.Telemetry.Otlp;
using CatSyphon.Telemetry.Otlp.Wire;

namespace CatSyphon.Telemetry.Tests;

/// <summary>The answers exporters read: empty success, partial success and google.rpc.Status, in both encodings.</summary>
public class OtlpResponsesTests
{
    [Fact]
    public void Success_is_an_empty_message_and_partial_success_counts_what_was_rejected()
    {
        Assert.Equal("{}", Encoding.UTF8.GetString(OtlpResponses.Logs(OtlpEncoding.Json, 0, null)));
        Assert.Empty(OtlpResponses.Metrics(OtlpEncoding.Protobuf, 0, null));
        Assert.Equal(
            """{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"bad time"}}""",
            Encoding.UTF8.GetString(OtlpResponses.Logs(OtlpEncoding.Json, 2, "bad time")));
        Assert.Equal(
            """{"partialSuccess":{"rejectedDataPoints":"1","errorMessage":"no value"}}""",
            Encoding.UTF8.GetString(OtlpResponses.Metrics(OtlpEncoding.Json, 1, "no value")));

        var logs = ExportLogsServiceResponse.Parser.ParseFrom(OtlpResponses.Logs(OtlpEncoding.Protobuf, 3, "why"));
        Assert.Equal((3L, "why"), (logs.PartialSuccess.RejectedLogRecords, logs.PartialSuccess.ErrorMessage));
        var metrics = ExportMetricsServiceResponse.Parser.ParseFrom(OtlpResponses.Metrics(OtlpEncoding.Protobuf, 4, "why"));
        Assert.Equal(4L, metrics.PartialSuccess.RejectedDataPoints);
    }

    [Fact]
    public void A_failure_is_a_google_rpc_status_with_the_code_of_its_http_status()
    {
        Assert.Equal("""{"code":3,"message":"bad"}""", Encoding.UTF8.GetString(OtlpResponses.Status(OtlpEncoding.Json, 400, "bad")));
        var status = Status.Parser.ParseFrom(OtlpResponses.Status(OtlpEncoding.Protobuf, 429, "slow down"));
        Assert.Equal((8, "slow down"), (status.Code, status.Message));
        Assert.Equal("application/x-protobuf", OtlpResponses.ContentType(OtlpEncoding.Protobuf));
    }
}
