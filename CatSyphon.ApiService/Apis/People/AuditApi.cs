using System.Text.Json;

namespace CatSyphon.ApiService.Apis.People;

/// <summary>The audit log: management actions, sign-ins, tokens, roles and keys; who, what, target, when and from where.</summary>
public static class AuditApi
{
    private static readonly OptionalCount AuditPageSize = new(Default: 100, Max: 1000);

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/audit", "Audit");

        api.MapGet("/", ListAuditEvents).RequireOrganizationRole(OrganizationRole.Admin)
            .CheckRange("limit", AuditPageSize)
            .CheckOrder("from", "to")
            .WithSummary("Audit events, newest first, filtered by workspace, actor, action and time, with keyset paging");
        return api;
    }

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ListAuditEvents(
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        [FromQuery(Name = "actor")] string? actor,
        [FromQuery(Name = "action")] string? action,
        [AsParameters] TimeRange range,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "cursor")] string? cursor,
        RequestAccess access,
        CatSyphonDbContext db,
        CancellationToken cancellationToken)
    {
        var events = db.AuditLog.AsNoTracking();
        if (access.Caller.OrganizationId is { } organizationId)
        {
            // A person's organization: its workspaces' events, and those outside any workspace (accounts, sign-ins).
            events = events.Where(e => e.WorkspaceId == null || e.Workspace!.OrganizationId == organizationId);
        }

        if (workspaceId is { } workspace)
        {
            events = events.Where(e => e.WorkspaceId == workspace);
        }

        if (!string.IsNullOrEmpty(actor))
        {
            events = events.Where(e => e.Actor == actor);
        }

        if (!string.IsNullOrEmpty(action))
        {
            events = events.Where(e => e.Action == action);
        }

        if (SqlQueries.Utc(range.From) is { } start)
        {
            events = events.Where(e => e.OccurredAt >= start);
        }

        if (SqlQueries.Utc(range.To) is { } end)
        {
            events = events.Where(e => e.OccurredAt < end);
        }

        if (cursor is not null)
        {
            if (!TimeKeyCursor.TryParse(cursor, out var after))
            {
                return ApiProblems.Validation("cursor", "cursor is not one this API returned.");
            }

            events = events.Where(e => e.OccurredAt < after.At || (e.OccurredAt == after.At && e.Id.CompareTo(after.Id) < 0));
        }

        var size = AuditPageSize.Or(limit);
        var rows = await events.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(size + 1).ToListAsync(cancellationToken);
        var page = rows.Take(size)
            .Select(e => new AuditEventView(e.Id, e.OccurredAt, e.Actor, e.Action, e.TargetType, e.TargetId, e.WorkspaceId, e.Address,
                e.Details is null ? null : JsonDocument.Parse(e.Details).RootElement.Clone()))
            .ToList();
        var next = rows.Count > size ? TimeKeyCursor.Format(page[^1].OccurredAt, page[^1].Id) : null;
        return TypedResults.Ok(new AuditPage(page, next));
    }
}
