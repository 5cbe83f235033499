using CatSyphon.ApiService.Ingestion;
using CatSyphon.Ingestion;
using CatSyphon.Protocol;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Apis.Management;

/// <summary>
/// A workspace's ingestion jobs, rates and dead letters (every endpoint requires <c>workspace_id</c> and shows
/// nothing of another workspace), with the server's stream lag.
/// </summary>
public static class IngestionApi
{
    private static readonly OptionalCount JobPage = new(Default: 50, Max: 500);
    private static readonly OptionalCount DeadLetters = new(Default: 100, Max: 1000);
    private static readonly OptionalCount WindowMinutes = new(Default: 60, Max: 7 * 24 * 60);

    public static RouteGroupBuilder MapIngestionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/ingestion", "Ingestion");

        api.MapGet("/jobs", ListJobs)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckRange("limit", JobPage)
            .WithSummary("Recent ingestion jobs (one per batch, accepted or refused), newest first, with filters and paging");
        api.MapGet("/stats", GetStats)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckRange("window_minutes", WindowMinutes)
            .WithSummary("Success and failure rates, events per second, stream lag and dead letters over a window");
        api.MapGet("/dead-letters", ListDeadLetters)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckRange("limit", DeadLetters)
            .WithSummary("The workspace's buffered batches that kept failing to persist, oldest first");
        // Anything but a stream id would be a Redis error, not an unknown dead letter.
        api.MapPost("/dead-letters/{id}/replay", ReplayDeadLetter)
            .RequireWorkspaceRole(WorkspaceRole.Admin)
            .Check<string>("id", id => StreamId.TryParse(id, out _), "id must be a dead letter's stream id, such as 1700000000000-0.")
            .WithSummary("Put one of the workspace's dead-lettered batches back on its stream");

        return api;
    }

    public static async Task<Results<Ok<IngestionJobPage>, ProblemHttpResult>> ListJobs(
        [AsParameters] WorkspaceScope workspace,
        [FromQuery(Name = "collector_id")] Guid? collectorId,
        [FromQuery(Name = "session_id")] string? sessionId,
        [FromQuery(Name = "outcome")] string? outcome,
        [AsParameters] TimeRange range,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "cursor")] string? cursor,
        CatSyphonDbContext db,
        CancellationToken cancellationToken)
    {
        var size = JobPage.Or(limit);
        var jobs = db.IngestionJobs.AsNoTracking().Where(j => j.WorkspaceId == workspace.Id);

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

        if (SqlQueries.Utc(range.From) is { } start)
        {
            jobs = jobs.Where(j => j.StartedAt >= start);
        }

        if (SqlQueries.Utc(range.To) is { } end)
        {
            jobs = jobs.Where(j => j.StartedAt < end);
        }

        if (cursor is not null)
        {
            // Keyset paging on (started_at, id), newest first: stable while new jobs arrive.
            if (!TimeKeyCursor.TryParse(cursor, out var after))
            {
                return ApiProblems.Validation("cursor", "cursor is not one this API returned.");
            }

            jobs = jobs.Where(j => j.StartedAt < after.At || (j.StartedAt == after.At && j.Id.CompareTo(after.Id) < 0));
        }

        var page = await jobs.OrderByDescending(j => j.StartedAt).ThenByDescending(j => j.Id).Take(size + 1)
            .Select(j => new IngestionJobView(j.Id, j.WorkspaceId, j.CollectorId, j.SessionId, j.ConversationId, j.Source, j.ReceivedEvents,
                j.Accepted, j.Duplicates, j.Outcome, j.HttpStatus, j.Error, j.StartedAt, j.DurationMs))
            .ToListAsync(cancellationToken);
        var next = page.Count > size ? TimeKeyCursor.Format(page[size - 1].StartedAt, page[size - 1].Id) : null;
        return TypedResults.Ok(new IngestionJobPage(page.Take(size).ToList(), next));
    }

    public static async Task<Results<Ok<IngestionStats>, ProblemHttpResult>> GetStats(
        [AsParameters] WorkspaceScope workspace,
        [FromQuery(Name = "window_minutes")] int? windowMinutes,
        CatSyphonDbContext db,
        IConnectionMultiplexer redis,
        IngestionLag lag,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var minutes = WindowMinutes.Or(windowMinutes);
        var end = time.GetUtcNow();
        var start = end.AddMinutes(-minutes);
        var jobs = db.IngestionJobs.AsNoTracking().Where(j => j.WorkspaceId == workspace.Id && j.StartedAt >= start);

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
            await WorkspaceDeadLetters.CountAsync(redis.GetDatabase(), workspace.Id)));
    }

    public static async Task<Results<Ok<List<DeadLetterView>>, ProblemHttpResult>> ListDeadLetters(
        [AsParameters] WorkspaceScope workspace, [FromQuery(Name = "limit")] int? limit, IConnectionMultiplexer redis) =>
        TypedResults.Ok(await WorkspaceDeadLetters.ListAsync(redis.GetDatabase(), workspace.Id, DeadLetters.Or(limit)));

    public static async Task<Results<Ok<DeadLetterView>, ProblemHttpResult>> ReplayDeadLetter(
        string id,
        [AsParameters] WorkspaceScope workspace,
        IConnectionMultiplexer redis)
    {
        var database = redis.GetDatabase();
        // Another workspace's dead letter is as unknown as a missing one.
        if (await WorkspaceDeadLetters.FindAsync(database, new StreamId(id), workspace.Id) is not { } found)
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
        await database.StreamAddAsync(LegacyIngestionKeys.CurrentStream(source.ToString()), IngestionRedisKeys.PayloadField, payload);
        await database.StreamDeleteAsync(IngestionRedisKeys.DeadLetters, [entry.Id]);
        return TypedResults.Ok(view);
    }
}
