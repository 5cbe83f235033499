using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.Data;
using CatSyphon.Ingestion;
using CatSyphon.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Apis;

/// <summary>
/// A workspace's ingestion jobs, rates and dead letters (every endpoint requires <c>workspace_id</c> and shows
/// nothing of another workspace), with the server's stream lag.
/// </summary>
public static class IngestionApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;
    private const int DefaultDeadLetters = 100;
    private const int MaxDeadLetters = 1000;

    public static RouteGroupBuilder MapIngestionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/ingestion")
            .WithTags("Ingestion")
            .RequireAuthorization(Policies.Admin);

        api.MapGet("/jobs", ListJobs).WithSummary("Recent ingestion jobs (one per batch, accepted or refused), newest first, with filters and paging");
        api.MapGet("/stats", GetStats).WithSummary("Success and failure rates, events per second, stream lag and dead letters over a window");
        api.MapGet("/dead-letters", ListDeadLetters).WithSummary("The workspace's buffered batches that kept failing to persist, oldest first");
        api.MapPost("/dead-letters/{id}/replay", ReplayDeadLetter).WithSummary("Put one of the workspace's dead-lettered batches back on its stream");

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

        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var jobs = db.IngestionJobs.AsNoTracking().Where(j => j.WorkspaceId == workspaceId);

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

        if (SqlQueries.Utc(from) is { } start)
        {
            jobs = jobs.Where(j => j.StartedAt >= start);
        }

        if (SqlQueries.Utc(to) is { } end)
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

        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var end = time.GetUtcNow();
        var start = end.AddMinutes(-minutes);
        var jobs = db.IngestionJobs.AsNoTracking().Where(j => j.WorkspaceId == workspaceId && j.StartedAt >= start);

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
            await WorkspaceDeadLetters.CountAsync(redis.GetDatabase(), workspaceId!.Value)));
    }

    public static async Task<Results<Ok<List<DeadLetterView>>, ProblemHttpResult>> ListDeadLetters(
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        [FromQuery(Name = "limit")] int? limit,
        CatSyphonDbContext db,
        IConnectionMultiplexer redis,
        CancellationToken cancellationToken)
    {
        if (ApiProblems.OutOfRange("limit", limit, DefaultDeadLetters, MaxDeadLetters, out var size) is { } outOfRange)
        {
            return outOfRange;
        }

        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await WorkspaceDeadLetters.ListAsync(redis.GetDatabase(), workspaceId!.Value, size));
    }

    public static async Task<Results<Ok<DeadLetterView>, ProblemHttpResult>> ReplayDeadLetter(
        string id,
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        CatSyphonDbContext db,
        IConnectionMultiplexer redis,
        CancellationToken cancellationToken)
    {
        // Anything but a stream id would be a Redis error, not an unknown dead letter.
        if (!StreamId.TryParse(id, out var streamId))
        {
            return ApiProblems.Validation("id", "id must be a dead letter's stream id, such as 1700000000000-0.");
        }

        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var database = redis.GetDatabase();
        // Another workspace's dead letter is as unknown as a missing one.
        if (await WorkspaceDeadLetters.FindAsync(database, streamId, workspaceId!.Value) is not { } found)
        {
            return ApiProblems.NotFound($"Dead letter {id} does not exist in this workspace.");
        }

        var (entry, view) = found;

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
        return TypedResults.Ok(view);
    }

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
