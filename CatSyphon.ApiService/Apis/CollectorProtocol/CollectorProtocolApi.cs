using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.ApiService.Privacy;
using CatSyphon.Protocol;
using Microsoft.AspNetCore.Http.Features;

namespace CatSyphon.ApiService.Apis.CollectorProtocol;

/// <summary>
/// The collector side of the protocol: registration, self-check and heartbeat, then the events and sessions of the
/// ingestion hot path.
/// </summary>
public static class CollectorProtocolApi
{
    /// <summary>Registration is read before it is authorized (an open workspace needs no token), so its body is kept tiny.</summary>
    public const long RegistrationMaxBytes = 8 * 1024;

    /// <summary>A refusal's reason in the collector events: enough for the first errors of a batch, never a whole body.</summary>
    private const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapCollectorProtocolApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/collectors").WithTags("Collector protocol");

        api.MapPost("/", Register)
            .AllowAnyone()
            .WithBodyLimit(RegistrationMaxBytes)
            .WithSummary("Register a collector (admin token, an enrollment token of the workspace, or an open workspace)");
        api.MapGet("/{collectorId:guid}", GetSelf)
            .RequireAuthorization(Policies.CollectorOrAdmin)
            .WithMetadata(new CollectorAccess(OrAdminToken: true))
            .WithSummary("Verify a collector is active (its own key, or the admin token)");
        api.MapPost("/heartbeat", Heartbeat)
            .RequireAuthorization(Policies.Collector)
            .WithMetadata(new CollectorAccess())
            .WithSummary("Report that the collector is alive, with its queue depth");

        var ingest = api.MapGroup("")
            .RequireAuthorization(Policies.Collector)
            .RequireRateLimiting(CollectorRateLimiting.PolicyName)
            .WithMetadata(new CollectorAccess());
        ingest.MapPost("/events", PostEvents)
            .Accepts<EventBatch>("application/json")
            .WithSummary("Send 1 to 50 events of one session; 202 once they are durably buffered");
        ingest.MapGet("/sessions/{sessionId}", GetSession)
            .WithSummary("A session's sequence state: last accepted, last persisted, counts and status");
        // Bound like a batch: a session_end event carries its summary within that limit too.
        ingest.MapPost("/sessions/{sessionId}/complete", CompleteSession)
            .WithBodyLimit(app.ServiceProvider.GetRequiredService<IOptions<IngestOptions>>().Value.MaxRequestBytes)
            .WithSummary("Mark a session completed with its outcome");

        return api;
    }

    public static async Task<Results<Created<RegisterCollectorResponse>, ProblemHttpResult>> Register(
        RegisterCollectorRequest request, HttpContext context, CatSyphonDbContext db, AuditTrail audit, CollectorEvents events, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (CollectorRegistrations.Validate(request) is { Count: > 0 } errors)
        {
            return ApiProblems.Validation(errors);
        }

        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == request.WorkspaceId, cancellationToken);
        if (workspace is null)
        {
            return ApiProblems.WorkspaceNotFound(request.WorkspaceId);
        }

        if (await CollectorRegistrations.AuthorizeAsync(context, db, workspace, time, cancellationToken) is not { } registrant)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            events.RegistrationRefused(workspace.Id, StatusCodes.Status401Unauthorized, "no enrollment token, member or admin token the workspace accepts");
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Registering in this workspace needs one of its enrollment tokens, a member's sign-in or token, or the admin token.");
        }

        var (collector, key) = CollectorRegistrations.Create(request, workspace.Id, registrant.UserId, time.GetUtcNow());
        db.Collectors.Add(collector);
        audit.RecordAs(db, registrant.Actor, workspace.Id, "collector.registered", "collector", collector.Id.ToString(),
            new { collector.CollectorType, collector.CollectorVersion, collector.Hostname, collector.ApiKeyPrefix, collector.UserId });
        await db.SaveChangesAsync(cancellationToken);
        events.Registered(collector.Id, workspace.Id, registrant.Actor, collector.CollectorType, collector.CollectorVersion, collector.Hostname);

        return TypedResults.Created($"/collectors/{collector.Id}",
            new RegisterCollectorResponse(collector.Id, key, collector.ApiKeyPrefix, workspace.Id, collector.CreatedAt));
    }

    public static async Task<Results<Ok<CollectorInfo>, ProblemHttpResult>> GetSelf(
        Guid collectorId, ClaimsPrincipal user, CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        // A collector sees only itself: another collector's id is as unknown as a missing one.
        if (CollectorIdentity.From(user) is { } caller && caller.CollectorId != collectorId)
        {
            return ApiProblems.CollectorNotFound(collectorId);
        }

        var collector = await db.Collectors.AsNoTracking().FirstOrDefaultAsync(c => c.Id == collectorId && c.HiddenAt == null, cancellationToken);
        if (collector is null)
        {
            return ApiProblems.CollectorNotFound(collectorId);
        }

        return TypedResults.Ok(new CollectorInfo(
            collector.Id, collector.WorkspaceId, collector.CollectorType, collector.CollectorVersion, collector.Hostname,
            collector.CreatedAt, collector.LastSeenAt, Active: collector.RevokedAt is null && collector.DisabledAt is null, collector.RevokedAt));
    }

    public static Results<Ok<HeartbeatResponse>, ProblemHttpResult> Heartbeat(
        HeartbeatRequest? request, ClaimsPrincipal user, CollectorContactTracker contacts, CollectorEvents events, TimeProvider time)
    {
        if (request is not null && CollectorRequestValidator.Validate(request) is { Count: > 0 } errors)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>(errors));
        }

        var caller = CollectorIdentity.From(user)!;
        var queueDepth = request?.QueueDepth is { } depth ? (int)Math.Min(depth, int.MaxValue) : (int?)null;
        contacts.RecordHeartbeat(caller.CollectorId, queueDepth, request?.Status);
        events.Heartbeat(caller, request?.QueueDepth, request?.Status);
        return TypedResults.Ok(new HeartbeatResponse(time.GetUtcNow()));
    }

    public static async Task<Results<Accepted<EventBatchAccepted>, ProblemHttpResult>> PostEvents(
        HttpContext context, ClaimsPrincipal user, SessionBuffer buffer, IngestionLag lag, RefusedBatchRecorder refusals,
        IngestionMetrics metrics, CollectorEvents events, WorkspaceRedactors redactors, IOptionsMonitor<IngestOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var collector = CollectorIdentity.From(user)!;
        var ingest = options.CurrentValue;
        if (await ProtocolProblems.BackPressureAsync(context, lag, ingest) is { } busy)
        {
            events.BatchRefused(collector, null, 0, busy.StatusCode, Reason(busy));
            return busy;
        }

        async Task<ProblemHttpResult> RefuseAsync(ProblemHttpResult problem, string? sessionId, int eventCount)
        {
            var status = problem.StatusCode;
            metrics.Refused(eventCount, status, stopwatch.Elapsed.TotalMilliseconds);
            events.BatchRefused(collector, sessionId, eventCount, status, Reason(problem));
            await refusals.RecordAsync(collector, sessionId, eventCount, status, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "", startedAt);
            return problem;
        }

        var (body, unreadable) = await ReadBatchAsync(context, ingest, cancellationToken);
        if (unreadable is not null)
        {
            return await RefuseAsync(unreadable, null, 0);
        }

        var redactor = await redactors.ForAsync(collector.WorkspaceId, cancellationToken);
        var batch = EventBatchValidator.Validate(body, startedAt, redactor: redactor);
        var received = body?.Events?.Count ?? 0;
        switch (batch.Status)
        {
            case EventBatchValidationStatus.TooManyEvents:
                return await RefuseAsync(ProtocolProblems.BatchTooLarge($"A batch holds at most {ProtocolLimits.MaxEventsPerBatch} events; this one has {received}."), body?.SessionId, received);
            case EventBatchValidationStatus.Invalid:
                return await RefuseAsync(ApiProblems.Validation(new Dictionary<string, string[]>(batch.Errors), "The batch was refused as a whole; nothing was stored."), body?.SessionId, received);
        }

        var outcome = await buffer.AcceptAsync(collector, batch, Guid.CreateVersion7(), startedAt, cancellationToken);
        if (outcome is BufferOutcome.SequenceGap gap)
        {
            return await RefuseAsync(ProtocolProblems.SequenceGap(gap), batch.SessionId, received);
        }

        var accepted = (BufferOutcome.Accepted)outcome;
        metrics.Accepted(accepted.Count, accepted.Duplicates, stopwatch.Elapsed.TotalMilliseconds);
        metrics.Redacted(batch.RedactedSecrets);
        events.BatchAccepted(collector, batch.SessionId!, accepted.Count, accepted.Duplicates, accepted.LastSequence);
        return TypedResults.Accepted(
            $"/collectors/sessions/{Uri.EscapeDataString(batch.SessionId!)}",
            new EventBatchAccepted(accepted.Count, accepted.Duplicates, accepted.LastSequence, accepted.ConversationId, [.. batch.Warnings]));
    }

    public static async Task<Results<Ok<SessionStatus>, ProblemHttpResult>> GetSession(
        string sessionId, HttpContext context, ClaimsPrincipal user, SessionBuffer buffer, CancellationToken cancellationToken)
    {
        sessionId = ProtocolProblems.SessionIdAsSent(context, sessionId, segmentFromEnd: 0);
        var collector = CollectorIdentity.From(user)!;
        return await buffer.GetStatusAsync(collector.WorkspaceId, sessionId, cancellationToken) is { } status
            ? TypedResults.Ok(status)
            : ProtocolProblems.SessionNotFound(sessionId);
    }

    public static async Task<Results<Ok<CompleteSessionResponse>, ProblemHttpResult>> CompleteSession(
        string sessionId, CompleteSessionRequest request, HttpContext context, ClaimsPrincipal user, SessionBuffer buffer, CollectorEvents events,
        WorkspaceRedactors redactors, CancellationToken cancellationToken)
    {
        sessionId = ProtocolProblems.SessionIdAsSent(context, sessionId, segmentFromEnd: 1);
        if (CollectorRequestValidator.Validate(request) is { Count: > 0 } errors)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>(errors));
        }

        var collector = CollectorIdentity.From(user)!;
        if (request.Summary is { } summary)
        {
            request = request with { Summary = (await redactors.ForAsync(collector.WorkspaceId, cancellationToken)).Redact(summary, out _) };
        }

        switch (await buffer.CompleteAsync(collector, sessionId, request, Guid.CreateVersion7(), cancellationToken))
        {
            case null:
                return ProtocolProblems.SessionNotFound(sessionId);
            case BufferOutcome.SequenceGap gap:
                return ProtocolProblems.SequenceGap(gap);
            case BufferOutcome.Accepted done:
                events.SessionCompleted(collector, sessionId, request.Outcome, done.Count);
                return TypedResults.Ok(new CompleteSessionResponse(sessionId, done.ConversationId, SessionStatuses.Completed, done.Count));
            default:
                throw new UnreachableException();
        }
    }

    /// <summary>Why a batch was refused, for the collector events: the problem's detail, else its title, and the fields in error.</summary>
    private static string Reason(ProblemHttpResult problem)
    {
        var reason = problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "";
        if (problem.ProblemDetails is HttpValidationProblemDetails { Errors.Count: > 0 } validation)
        {
            reason += " " + string.Join("; ", validation.Errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}"));
        }

        return reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength] + "...";
    }

    /// <summary>The batch in the body, or the problem that refuses it unread (too large, or not JSON of a batch).</summary>
    private static async Task<(EventBatch? Body, ProblemHttpResult? Problem)> ReadBatchAsync(
        HttpContext context, IngestOptions ingest, CancellationToken cancellationToken)
    {
        var tooLarge = ProtocolProblems.BatchTooLarge($"The body is larger than {ingest.MaxRequestBytes} bytes.");
        if (context.Request.ContentLength > ingest.MaxRequestBytes)
        {
            return (null, tooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = ingest.MaxRequestBytes;
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync(context.Request.Body, ProtocolJsonContext.Default.EventBatch, cancellationToken), null);
        }
        catch (JsonException exception)
        {
            return (null, ApiProblems.Validation(EventBatchValidator.ErrorKeyFromJsonPath(exception.Path), "The body is not valid JSON for an event batch."));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, tooLarge);
        }
    }
}
