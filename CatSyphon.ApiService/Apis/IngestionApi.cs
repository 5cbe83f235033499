using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.Data;
using CatSyphon.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Apis;

public sealed record IngestionJobView(
    Guid Id, Guid WorkspaceId, Guid? CollectorId, string SessionId, Guid? ConversationId, IngestionSource Source,
    int ReceivedEvents, int Accepted, int Duplicates, IngestionOutcome Outcome, int? HttpStatus, string? Error,
    DateTimeOffset StartedAt, double? DurationMs);

public sealed record IngestionJobPage(IReadOnlyList<IngestionJobView> Items, string? NextCursor);

public sealed record IngestionStats(
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Batches, long AcceptedBatches, long RefusedBatches,
    double SuccessRate, double FailureRate, long EventsAccepted, long Duplicates, double EventsPerSecond,
    long StreamLag, long DeadLetters);

public sealed record DeadLetterView(string Id, string Source, string Error, Guid? WorkspaceId, string? SessionId, int Events);

/// <summary>Ingestion jobs, rates, stream lag and dead letters, for whoever runs the server.</summary>
public static partial class IngestionApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;

    public static RouteGroupBuilder MapIngestionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/ingestion")
            .WithTags("Ingestion")
            .RequireAuthorization(Policies.Admin);

        api.MapGet("/jobs", ListJobs).WithSummary("Recent ingestion jobs (one per batch, accepted or refused), newest first, with filters and paging");
        api.MapGet("/stats", GetStats).WithSummary("Success and failure rates, events per second, stream lag and dead letters over a window");
        api.MapGet("/dead-letters", ListDeadLetters).WithSummary("Buffered batches that kept failing to persist");
        api.MapPost("/dead-letters/{id}/replay", ReplayDeadLetter).WithSummary("Put a dead-lettered batch back on its stream");

        return api;
    }

    public static async Task<Results<Ok<IngestionJobPage>, ProblemHttpResult>> ListJobs(
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        [FromQuery(Name = "collector_id")] Guid? collectorId,
        [FromQuery(Name = "session_id")] string? sessionId,
        [FromQuery(Name = "outcome")] string? outcome,
        [FromQuery(Name = "from")] DateTimeOffset? from,
        [FromQuery(Name = "to")] DateTimeOffset? to,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "cursor")] string? cursor,
        CatSyphonDbContext db,
        CancellationToken cancellationToken)
    {
        if (ApiProblems.OutOfRange("limit", limit, DefaultPageSize, MaxPageSize, out var size) is { } outOfRange)
        {
            return outOfRange;
        }

        var jobs = db.IngestionJobs.AsNoTracking();
        if (workspaceId is { } workspace)
        {
            if (!await db.Workspaces.AnyAsync(w => w.Id == workspace, cancellationToken))
            {
                return WorkspacesApi.WorkspaceNotFound(workspace);
            }

            jobs = jobs.Where(j => j.WorkspaceId == workspace);
        }

        if (collectorId is { } collector)
        {
            jobs = jobs.Where(j => j.CollectorId == collector);
        }

        if (!string.IsNullOrEmpty(sessionId))
        {
            jobs = jobs.Where(j => j.SessionId == sessionId);
        }

        if (outcome is not null)
        {
            if (!WireName.TryParse<IngestionOutcome>(outcome, out var wanted))
            {
                return ApiProblems.Validation("outcome", $"outcome must be one of: {string.Join(", ", WireName.All<IngestionOutcome>())}.");
            }

            jobs = jobs.Where(j => j.Outcome == wanted);
        }

        if (from is { } start)
        {
            jobs = jobs.Where(j => j.StartedAt >= start);
        }

        if (to is { } end)
        {
            jobs = jobs.Where(j => j.StartedAt < end);
        }

        if (cursor is not null)
        {
            // Keyset paging on (started_at, id), newest first: stable while new jobs arrive.
            if (!JobCursor.TryParse(cursor, out var after))
            {
                return ApiProblems.Validation("cursor", "cursor is not one this API returned.");
            }

            jobs = jobs.Where(j => j.StartedAt < after.StartedAt || (j.StartedAt == after.StartedAt && j.Id.CompareTo(after.Id) < 0));
        }

        var page = await jobs.OrderByDescending(j => j.StartedAt).ThenByDescending(j => j.Id).Take(size + 1)
            .Select(j => new IngestionJobView(j.Id, j.WorkspaceId, j.CollectorId, j.SessionId, j.ConversationId, j.Source, j.ReceivedEvents,
                j.Accepted, j.Duplicates, j.Outcome, j.HttpStatus, j.Error, j.StartedAt, j.DurationMs))
            .ToListAsync(cancellationToken);
        var next = page.Count > size ? JobCursor.Format(page[size - 1]) : null;
        return TypedResults.Ok(new IngestionJobPage(page.Take(size).ToList(), next));
    }

    public static async Task<Results<Ok<IngestionStats>, ProblemHttpResult>> GetStats(
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        [FromQuery(Name = "window_minutes")] int? windowMinutes,
        CatSyphonDbContext db,
        IConnectionMultiplexer redis,
        IngestionLag lag,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var minutes = windowMinutes ?? 60;
        if (minutes is < 1 or > 7 * 24 * 60)
        {
            return ApiProblems.Validation("window_minutes", "window_minutes must be between 1 and 10080.");
        }

        var end = time.GetUtcNow();
        var start = end.AddMinutes(-minutes);
        var jobs = db.IngestionJobs.AsNoTracking().Where(j => j.StartedAt >= start);
        if (workspaceId is { } workspace)
        {
            jobs = jobs.Where(j => j.WorkspaceId == workspace);
        }

        var totals = await jobs
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Batches = g.LongCount(),
                Accepted = g.LongCount(j => j.Outcome == IngestionOutcome.Accepted),
                Events = g.Sum(j => (long)j.Accepted),
                Duplicates = g.Sum(j => (long)j.Duplicates),
            })
            .FirstOrDefaultAsync(cancellationToken);
        var batches = totals?.Batches ?? 0;
        var acceptedBatches = totals?.Accepted ?? 0;
        var events = totals?.Events ?? 0;

        return TypedResults.Ok(new IngestionStats(
            start, end, batches, acceptedBatches, batches - acceptedBatches,
            batches == 0 ? 1 : (double)acceptedBatches / batches,
            batches == 0 ? 0 : (double)(batches - acceptedBatches) / batches,
            events, totals?.Duplicates ?? 0, events / (minutes * 60.0),
            await lag.GetAsync(),
            await redis.GetDatabase().StreamLengthAsync(IngestionRedisKeys.DeadLetters)));
    }

    public static async Task<Ok<List<DeadLetterView>>> ListDeadLetters(
        [FromQuery(Name = "limit")] int? limit, IConnectionMultiplexer redis)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(IngestionRedisKeys.DeadLetters, count: Math.Clamp(limit ?? 100, 1, 1000));
        return TypedResults.Ok(entries.Select(Describe).ToList());
    }

    public static async Task<Results<Ok<DeadLetterView>, ProblemHttpResult>> ReplayDeadLetter(string id, IConnectionMultiplexer redis)
    {
        var database = redis.GetDatabase();
        // Anything but a stream id would be a Redis error, not an unknown dead letter.
        var entries = StreamIdPattern().IsMatch(id) ? await database.StreamRangeAsync(IngestionRedisKeys.DeadLetters, id, id, count: 1) : [];
        if (entries.Length == 0)
        {
            return ApiProblems.NotFound($"Dead letter {id} does not exist.");
        }

        var entry = entries[0];
        var source = entry[IngestionRedisKeys.SourceField];
        var payload = entry[IngestionRedisKeys.PayloadField];
        if (source.IsNullOrEmpty || payload.IsNull)
        {
            return ApiProblems.Conflict($"Dead letter {id} does not name its stream or has no payload; it cannot be replayed.");
        }

        // Appended before it is removed: a failure in between leaves a duplicate entry, which
        // persisting ignores, never a lost one.
        await database.StreamAddAsync(source.ToString(), IngestionRedisKeys.PayloadField, payload);
        await database.StreamDeleteAsync(IngestionRedisKeys.DeadLetters, [entry.Id]);
        return TypedResults.Ok(Describe(entry));
    }

    private static DeadLetterView Describe(StreamEntry entry)
    {
        var payload = entry[IngestionRedisKeys.PayloadField];
        BufferedBatch? batch = null;
        try
        {
            batch = payload.IsNull ? null : BufferedBatchSerializer.Deserialize((byte[])payload!);
        }
        catch (System.Text.Json.JsonException)
        {
            // A payload that is not a batch is exactly the kind of thing that ends up here.
        }

        return new DeadLetterView(entry.Id.ToString(), entry[IngestionRedisKeys.SourceField].ToString(), entry[IngestionRedisKeys.ErrorField].ToString(),
            batch?.WorkspaceId, batch?.SessionId, batch?.Events.Count ?? 0);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{1,20}-\d{1,20}$")]
    private static partial System.Text.RegularExpressions.Regex StreamIdPattern();

    private readonly record struct JobCursor(DateTimeOffset StartedAt, Guid Id)
    {
        public static string Format(IngestionJobView job) => $"{job.StartedAt.UtcTicks}_{job.Id:N}";

        public static bool TryParse(string text, out JobCursor cursor)
        {
            var parts = text.Split('_');
            cursor = default;
            if (parts.Length != 2 || !long.TryParse(parts[0], out var ticks) || !Guid.TryParse(parts[1], out var id)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return false;
            }

            cursor = new JobCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
    }
}
