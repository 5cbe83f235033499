using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CatSyphon.ApiService.Apis;

/// <summary>The collector protocol's events and sessions: the ingestion hot path.</summary>
public static class EventsApi
{
    public const string SequenceGapType = "https://catsyphon.dev/problems/sequence-gap";

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/collectors")
            .WithTags("Collector protocol")
            .RequireAuthorization(Policies.Collector)
            .RequireRateLimiting(CollectorRateLimiting.PolicyName);

        api.MapPost("/events", PostEvents)
            .Accepts<EventBatch>("application/json")
            .WithSummary("Send 1 to 50 events of one session; 202 once they are durably buffered");
        api.MapGet("/sessions/{sessionId}", GetSession)
            .WithSummary("A session's sequence state: last accepted, last persisted, counts and status");
        // Bound like a batch: a session_end event carries its summary within that limit too.
        api.MapPost("/sessions/{sessionId}/complete", CompleteSession)
            .WithBodyLimit(app.ServiceProvider.GetRequiredService<IOptions<IngestOptions>>().Value.MaxRequestBytes)
            .WithSummary("Mark a session completed with its outcome");

        return api;
    }

    public static async Task<Results<Accepted<EventBatchAccepted>, ProblemHttpResult>> PostEvents(
        HttpContext context, ClaimsPrincipal user, SessionBuffer buffer, IngestionLag lag, RefusedBatchRecorder refusals,
        IngestionMetrics metrics, IOptionsMonitor<IngestOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var collector = CollectorIdentity.From(user)!;
        var ingest = options.CurrentValue;

        if (await lag.GetAsync() > ingest.MaxLag)
        {
            return ServiceUnavailable(context, ingest, "The server is catching up on buffered events; nothing was stored. Retry later.");
        }

        // Redis refuses writes once it reaches maxmemory (its policy never evicts buffered events):
        // the API stops earlier, with an answer a collector knows how to wait out.
        if (await lag.GetMemoryPercentAsync() > ingest.MaxRedisMemoryPercent)
        {
            return ServiceUnavailable(context, ingest, "The ingestion buffer is nearly full; nothing was stored. Retry later.");
        }

        async Task<ProblemHttpResult> RefuseAsync(ProblemHttpResult problem, string? sessionId, int events)
        {
            var status = problem.StatusCode;
            metrics.Refused(events, status, stopwatch.Elapsed.TotalMilliseconds);
            await refusals.RecordAsync(collector, sessionId, events, status, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "", startedAt);
            return problem;
        }

        if (context.Request.ContentLength > ingest.MaxRequestBytes)
        {
            return await RefuseAsync(TooLarge($"The body is larger than {ingest.MaxRequestBytes} bytes."), null, 0);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = ingest.MaxRequestBytes;
        }

        EventBatch? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, ProtocolJsonContext.Default.EventBatch, cancellationToken);
        }
        catch (JsonException exception)
        {
            return await RefuseAsync(ApiProblems.Validation(EventBatchValidator.ErrorKeyFromJsonPath(exception.Path), "The body is not valid JSON for an event batch."), null, 0);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return await RefuseAsync(TooLarge($"The body is larger than {ingest.MaxRequestBytes} bytes."), null, 0);
        }

        var batch = EventBatchValidator.Validate(body, startedAt);
        var received = body?.Events?.Count ?? 0;
        switch (batch.Status)
        {
            case EventBatchValidationStatus.TooManyEvents:
                return await RefuseAsync(TooLarge($"A batch holds at most {ProtocolLimits.MaxEventsPerBatch} events; this one has {received}."), body?.SessionId, received);
            case EventBatchValidationStatus.Invalid:
                return await RefuseAsync(ApiProblems.Validation(new Dictionary<string, string[]>(batch.Errors), "The batch was refused as a whole; nothing was stored."), body?.SessionId, received);
        }

        var outcome = await buffer.AcceptAsync(collector, batch, Guid.CreateVersion7(), startedAt, cancellationToken);
        if (outcome is BufferOutcome.SequenceGap gap)
        {
            return await RefuseAsync(SequenceGap(gap), batch.SessionId, received);
        }

        var accepted = (BufferOutcome.Accepted)outcome;
        metrics.Accepted(accepted.Count, accepted.Duplicates, stopwatch.Elapsed.TotalMilliseconds);
        return TypedResults.Accepted(
            $"/collectors/sessions/{Uri.EscapeDataString(batch.SessionId!)}",
            new EventBatchAccepted(accepted.Count, accepted.Duplicates, accepted.LastSequence, accepted.ConversationId, [.. batch.Warnings]));
    }

    public static async Task<Results<Ok<SessionStatus>, ProblemHttpResult>> GetSession(
        string sessionId, HttpContext context, ClaimsPrincipal user, SessionBuffer buffer, CancellationToken cancellationToken)
    {
        sessionId = SessionIdAsSent(context, sessionId, segmentFromEnd: 0);
        var collector = CollectorIdentity.From(user)!;
        return await buffer.GetStatusAsync(collector.WorkspaceId, sessionId, cancellationToken) is { } status
            ? TypedResults.Ok(status)
            : SessionNotFound(sessionId);
    }

    public static async Task<Results<Ok<CompleteSessionResponse>, ProblemHttpResult>> CompleteSession(
        string sessionId, CompleteSessionRequest request, HttpContext context, ClaimsPrincipal user, SessionBuffer buffer, CancellationToken cancellationToken)
    {
        sessionId = SessionIdAsSent(context, sessionId, segmentFromEnd: 1);
        if (CollectorRequestValidator.Validate(request) is { Count: > 0 } errors)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>(errors));
        }

        var collector = CollectorIdentity.From(user)!;
        switch (await buffer.CompleteAsync(collector, sessionId, request, Guid.CreateVersion7(), cancellationToken))
        {
            case null:
                return SessionNotFound(sessionId);
            case BufferOutcome.SequenceGap gap:
                return SequenceGap(gap);
            case BufferOutcome.Accepted done:
                return TypedResults.Ok(new CompleteSessionResponse(sessionId, done.ConversationId, SessionStatuses.Completed, done.Count));
            default:
                throw new UnreachableException();
        }
    }

    internal static ProblemHttpResult ServiceUnavailable(HttpContext context, IngestOptions ingest, string detail)
    {
        context.Response.Headers.RetryAfter = ingest.RetryAfterSeconds.ToString();
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);
    }

    /// <summary>
    /// The session id exactly as the collector sent it, URL-encoded: any 1..255 characters, <c>/</c> included. The
    /// server decodes the path before routing except for <c>%2F</c> (so <c>a%2Fb</c> routes as one segment), and it
    /// decodes <c>%25</c> too, which makes the route value of <c>a%252Fb</c> read like that of <c>a%2Fb</c>; so the
    /// segment is decoded from the raw request target instead, counted from its end.
    /// </summary>
    private static string SessionIdAsSent(HttpContext context, string routeValue, int segmentFromEnd)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.StartsWith('/'))
        {
            return Uri.UnescapeDataString(routeValue);
        }

        var segments = raw.Split('?', 2)[0].Split('/');
        return Uri.UnescapeDataString(segments[^(segmentFromEnd + 1)]);
    }

    private static ProblemHttpResult SessionNotFound(string sessionId) => ApiProblems.NotFound($"Session '{sessionId}' is not known in this workspace.");

    private static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Batch too large", detail: detail);

    private static ProblemHttpResult SequenceGap(BufferOutcome.SequenceGap gap) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Sequence gap",
            type: SequenceGapType,
            detail: $"Expected sequence {gap.ExpectedSequence} but received {gap.ReceivedSequence}; resend from {gap.ExpectedSequence}. Nothing was stored.",
            extensions: new Dictionary<string, object?>
            {
                ["expected_sequence"] = gap.ExpectedSequence,
                ["received_sequence"] = gap.ReceivedSequence,
                ["last_sequence"] = gap.LastSequence,
            });
}
