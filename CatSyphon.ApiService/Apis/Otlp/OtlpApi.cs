using CatSyphon.ApiService.Ingestion;

namespace CatSyphon.ApiService.Apis.Otlp;

/// <summary>
/// OTLP/HTTP ingest (<c>/v1/logs</c>, <c>/v1/metrics</c>, <c>/v1/traces</c>), where Claude Code and Codex export their
/// telemetry: authenticated by a collector key exactly as the events are
/// (<c>OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer cs_live_..."</c>), under the same per-collector rate limit.
/// </summary>
public static class OtlpApi
{
    public static RouteGroupBuilder MapOtlpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1")
            .WithTags("OTLP ingest")
            .RequireAuthorization(Policies.Collector)
            .RequireRateLimiting(CollectorRateLimiting.PolicyName)
            .WithMetadata(new CollectorAccess());

        api.MapPost("/logs", (HttpContext context, OtlpReceiver receiver, CancellationToken cancellationToken) =>
                receiver.ExportAsync(context, OtlpSignal.Logs, cancellationToken))
            .Accepts<byte[]>("application/x-protobuf", "application/json")
            .WithSummary("OTLP/HTTP logs (the agents' events), protobuf or JSON, gzip or not; 200 once buffered, with partial success for rejected records");
        api.MapPost("/metrics", (HttpContext context, OtlpReceiver receiver, CancellationToken cancellationToken) =>
                receiver.ExportAsync(context, OtlpSignal.Metrics, cancellationToken))
            .Accepts<byte[]>("application/x-protobuf", "application/json")
            .WithSummary("OTLP/HTTP metrics (cost, tokens, active time, lines, commits, decisions), protobuf or JSON; 200 once buffered");
        api.MapPost("/traces", (HttpContext context, OtlpReceiver receiver, CancellationToken cancellationToken) =>
                receiver.ExportAsync(context, OtlpSignal.Traces, cancellationToken))
            .Accepts<byte[]>("application/x-protobuf", "application/json")
            .WithSummary("OTLP/HTTP traces: answered 200 and not stored (the pages need no spans), so an exporter configured for all signals works");
        return api;
    }
}
