using CatSyphon.ApiService.Apis.CollectorProtocol;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.Ingestion;
using CatSyphon.Telemetry;
using CatSyphon.Telemetry.Otlp;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Apis.Otlp;

/// <summary>The three OTLP/HTTP signals.</summary>
public enum OtlpSignal
{
    Logs,
    Metrics,
    Traces,
}

/// <summary>
/// Receives one OTLP/HTTP export: reads and decodes it, appends its normalised records to the telemetry stream (a 200
/// is a promise: the worker persists what the stream holds), and answers in the request's encoding with OTLP's
/// semantics: partial success for rejected records, 400 for an undecodable body, 413 past the size limit, 503 +
/// Retry-After only while ingestion is behind. Traces are accepted and not stored: the pages need no spans.
/// </summary>
public sealed class OtlpReceiver(IConnectionMultiplexer redis, IngestionLag lag, IOptionsMonitor<IngestOptions> options, TimeProvider time, ILogger<OtlpReceiver> logger)
{
    public async Task<IResult> ExportAsync(HttpContext context, OtlpSignal signal, CancellationToken cancellationToken)
    {
        if (OtlpDecoder.EncodingOf(context.Request.ContentType) is not { } encoding)
        {
            return Failure(OtlpEncoding.Json, StatusCodes.Status415UnsupportedMediaType,
                "OTLP/HTTP bodies are application/x-protobuf or application/json (gRPC is not served: use http/protobuf or http/json).");
        }

        var ingest = options.CurrentValue;
        if (await ProtocolProblems.BackPressureAsync(context, lag, ingest) is { } busy)
        {
            return Failure(encoding, busy.StatusCode, busy.ProblemDetails.Detail ?? "Retry later.");
        }

        var body = await OtlpBody.ReadAsync(context.Request, ingest.MaxRequestBytes, cancellationToken);
        if (body.Bytes is null)
        {
            return Failure(encoding, body.Status, body.Problem!);
        }

        if (signal == OtlpSignal.Traces)
        {
            return Answer(encoding, OtlpResponses.Empty(encoding));
        }

        var receivedAt = time.GetUtcNow();
        OtlpDecoded decoded;
        try
        {
            decoded = signal == OtlpSignal.Logs
                ? OtlpDecoder.DecodeLogs(body.Bytes, encoding, receivedAt)
                : OtlpDecoder.DecodeMetrics(body.Bytes, encoding, receivedAt);
        }
        catch (OtlpFormatException exception)
        {
            return Failure(encoding, StatusCodes.Status400BadRequest, exception.Message);
        }

        if (decoded.Count > 0)
        {
            await AppendAsync(CollectorIdentity.From(context.User)!, decoded, receivedAt);
        }

        if (decoded.Rejected > 0)
        {
            logger.LogInformation("OTLP {Signal}: {Rejected} records rejected ({Reason}).", signal, decoded.Rejected, decoded.RejectedReason);
        }

        return Answer(encoding, signal == OtlpSignal.Logs
            ? OtlpResponses.Logs(encoding, decoded.Rejected, decoded.RejectedReason)
            : OtlpResponses.Metrics(encoding, decoded.Rejected, decoded.RejectedReason));
    }

    /// <summary>One stream entry per request; Redis acknowledges it before the exporter is answered.</summary>
    private Task AppendAsync(CollectorIdentity collector, OtlpDecoded decoded, DateTimeOffset receivedAt) =>
        redis.GetDatabase().StreamAddAsync(IngestionRedisKeys.Telemetry, IngestionRedisKeys.PayloadField, TelemetryBatchSerializer.Serialize(new TelemetryBatch
        {
            Id = Guid.CreateVersion7(),
            WorkspaceId = collector.WorkspaceId,
            CollectorId = collector.CollectorId,
            ReceivedAt = receivedAt,
            Events = decoded.Events,
            Points = decoded.Points,
        }));

    private static OtlpResult Answer(OtlpEncoding encoding, byte[] response) => new(StatusCodes.Status200OK, response, OtlpResponses.ContentType(encoding));

    private static OtlpResult Failure(OtlpEncoding encoding, int status, string message) =>
        new(status, OtlpResponses.Status(encoding, status, message), OtlpResponses.ContentType(encoding));

    /// <summary>An OTLP answer: its status and its body in the request's encoding.</summary>
    private sealed class OtlpResult(int status, byte[] body, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body).AsTask();
        }
    }
}
