using CatSyphon.ApiService.Monitoring;

namespace CatSyphon.ApiService.Apis.Operations;

/// <summary>
/// Operations: how big the database is and how fast it grows. Database-wide figures are for organization admins (the
/// admin token included); a workspace admin sees their workspace's events per day and nothing of another workspace.
/// </summary>
public static class OpsApi
{
    private static readonly OptionalCount WindowDays = new(Default: 14, Max: 90);

    public static RouteGroupBuilder MapOpsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/ops/storage", "Operations");

        api.MapGet("/", GetStorage)
            .RequireOrganizationRole(OrganizationRole.Admin)
            .CheckRange("days", WindowDays)
            .WithSummary("Database size, tables largest first, events per day per workspace, growth per day and days until the disk budget is full");
        api.MapGet("/events", GetWorkspaceEvents)
            .RequireWorkspaceRole(WorkspaceRole.Admin)
            .CheckRange("days", WindowDays)
            .WithSummary("A workspace's events accepted per UTC day");
        return api;
    }

    public static async Task<Ok<StorageReport>> GetStorage(
        [FromQuery(Name = "days")] int? days,
        RequestAccess access,
        CatSyphonDbContext db,
        IOptions<MonitoringOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = access.Caller;
        var window = new StorageWindow(time.GetUtcNow(), WindowDays.Or(days));
        return TypedResults.Ok(await StorageMeasurement.MeasureAsync(db, window, options.Value.DiskBudgetBytes,
            organization => caller.OrganizationId is not { } own || own == organization, cancellationToken));
    }

    public static async Task<Ok<WorkspaceEventDays>> GetWorkspaceEvents(
        [AsParameters] WorkspaceScope workspace,
        [FromQuery(Name = "days")] int? days,
        CatSyphonDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await StorageMeasurement.WorkspaceEventsAsync(db, workspace.Id, new StorageWindow(time.GetUtcNow(), WindowDays.Or(days)), cancellationToken));
}
