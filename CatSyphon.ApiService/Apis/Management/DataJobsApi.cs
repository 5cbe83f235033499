using System.Text.Json;

namespace CatSyphon.ApiService.Apis.Management;

/// <summary>
/// Erasure (one session, a developer's sessions, the whole workspace) and the data jobs that carry it out and the
/// retention: the API only records the job; the worker runs it in bounded batches. Workspace admins only (organization
/// owners and admins administer every workspace).
/// </summary>
public static class DataJobsApi
{
    public static RouteGroupBuilder MapDataJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/workspaces/{id:guid}", "Data jobs");

        api.MapGet("/data-jobs", ListDataJobs).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("The workspace's erasure and retention jobs, newest first (the latest 100)");
        api.MapGet("/data-jobs/{job_id:guid}", GetDataJob).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("One erasure or retention job: its status, progress and the rows it removed per kind");
        api.MapPost("/erase/session", EraseSession).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Erase one session and its sub-agent sessions; events a collector resends later are answered as duplicates and not stored");
        api.MapPost("/erase/developer", EraseDeveloper).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Erase every session of one developer of the workspace");
        api.MapPost("/erase/workspace", EraseWorkspace).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Erase every session of the workspace; the request repeats the workspace's slug as a confirmation");
        return api;
    }

    public static async Task<Ok<List<DataJobView>>> ListDataJobs(Guid id, CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        var jobs = await db.DataJobs.AsNoTracking().Where(j => j.WorkspaceId == id)
            .OrderByDescending(j => j.CreatedAt).Take(100).ToListAsync(cancellationToken);
        return TypedResults.Ok(jobs.Select(View).ToList());
    }

    public static async Task<Results<Ok<DataJobView>, ProblemHttpResult>> GetDataJob(
        Guid id, [FromRoute(Name = "job_id")] Guid jobId, CatSyphonDbContext db, CancellationToken cancellationToken) =>
        await db.DataJobs.AsNoTracking().FirstOrDefaultAsync(j => j.WorkspaceId == id && j.Id == jobId, cancellationToken) is { } job
            ? TypedResults.Ok(View(job))
            : ApiProblems.NotInWorkspace("data job", jobId);

    public static async Task<Results<Accepted<DataJobView>, ProblemHttpResult>> EraseSession(
        Guid id, EraseSessionRequest request, CatSyphonDbContext db, AuditTrail audit, RequestAccess access, CancellationToken cancellationToken)
    {
        // Any well-formed session id: one still waiting in Redis, or not sent yet, is erased (tombstoned) all the same.
        if (string.IsNullOrEmpty(request.SessionId) || request.SessionId.Length > ColumnLimits.SessionId || StorableText.HasNul(request.SessionId))
        {
            return ApiProblems.Validation("session_id", $"session_id is required: 1 to {ColumnLimits.SessionId} characters.");
        }

        return await QueueAsync(id, DataJobKind.EraseSession, request.SessionId, db, audit, access, cancellationToken);
    }

    public static async Task<Results<Accepted<DataJobView>, ProblemHttpResult>> EraseDeveloper(
        Guid id, EraseDeveloperRequest request, CatSyphonDbContext db, AuditTrail audit, RequestAccess access, CancellationToken cancellationToken)
    {
        if (request.DeveloperId is not { } developerId)
        {
            return ApiProblems.Validation("developer_id", "developer_id is required.");
        }

        return await db.Developers.AnyAsync(d => d.WorkspaceId == id && d.Id == developerId, cancellationToken)
            ? await QueueAsync(id, DataJobKind.EraseDeveloper, developerId.ToString(), db, audit, access, cancellationToken)
            : ApiProblems.NotInWorkspace("developer", developerId);
    }

    public static async Task<Results<Accepted<DataJobView>, ProblemHttpResult>> EraseWorkspace(
        Guid id, EraseWorkspaceRequest request, CatSyphonDbContext db, AuditTrail audit, RequestAccess access, CancellationToken cancellationToken)
    {
        var slug = await db.Workspaces.Where(w => w.Id == id).Select(w => w.Slug).SingleAsync(cancellationToken);
        return request.Slug == slug
            ? await QueueAsync(id, DataJobKind.EraseWorkspace, null, db, audit, access, cancellationToken)
            : ApiProblems.Validation("slug", "slug must repeat the workspace's slug, to confirm that every session of it is erased.");
    }

    private static async Task<Results<Accepted<DataJobView>, ProblemHttpResult>> QueueAsync(
        Guid workspaceId, DataJobKind kind, string? target, CatSyphonDbContext db, AuditTrail audit, RequestAccess access, CancellationToken cancellationToken)
    {
        var job = new DataJob { WorkspaceId = workspaceId, Kind = kind, Target = target, RequestedBy = access.Caller.Actor };
        db.DataJobs.Add(job);
        audit.Record(db, workspaceId, "data_job.requested", "data_job", job.Id, new { Kind = kind, Target = target });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/workspaces/{workspaceId}/data-jobs/{job.Id}", View(job));
    }

    private static DataJobView View(DataJob job) => new(
        job.Id, job.Kind, job.Target, job.Status, job.Total, job.Processed,
        job.Counts is null ? new Dictionary<string, long>() : JsonSerializer.Deserialize<Dictionary<string, long>>(job.Counts)!,
        job.Error, job.RequestedBy, job.CreatedAt, job.StartedAt, job.FinishedAt);
}
