namespace CatSyphon.ApiService.Apis.Export;

/// <summary>
/// Export archives (zip of JSON Lines plus manifest.json, see <see cref="ExportFiles"/>) streamed straight to the
/// response: a whole workspace for its admins, and a person's own sessions for themselves.
/// </summary>
public static class ExportApi
{
    private const string ZipType = "application/zip";

    public static void MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/api/workspaces/{id:guid}/export", "Export")
            .MapGet("/", ExportWorkspace).RequireWorkspaceRole(WorkspaceRole.Admin, WorkspaceSource.WorkspaceRoute)
            .Produces<Stream>(StatusCodes.Status200OK, ZipType)
            .WithSummary("Every session of the workspace with its transcript, tool calls, files, plans and token usage, and its developers and "
                + "projects: a zip of JSON Lines files and manifest.json, streamed");
        app.MapApiGroup("/api/me/export", "Export")
            .MapGet("/", ExportMine).RequireAccount()
            .Produces<Stream>(StatusCodes.Status200OK, ZipType)
            .WithSummary("The caller's own sessions (from their collectors and the developer identities linked to them) in the workspaces "
                + "they can open, with transcripts and analytics: a zip of JSON Lines files and manifest.json, streamed");
    }

    public static async Task<PushStreamHttpResult> ExportWorkspace(
        Guid id, CatSyphonDbContext db, ExportWriter writer, TimeProvider time, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == id)
            .Select(w => new ExportWorkspace(w.Id, w.Name, w.Slug)).SingleAsync(cancellationToken);
        return Archive(writer, ExportScope.OfWorkspace(workspace), $"catsyphon-export-{workspace.Slug}-{Today(time)}.zip", cancellationToken);
    }

    public static async Task<PushStreamHttpResult> ExportMine(
        RequestAccess access, CatSyphonDbContext db, ExportWriter writer, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = access.Caller;
        var userId = caller.UserId!.Value;
        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new ExportPerson(u.Id, u.Email, u.DisplayName)).SingleAsync(cancellationToken);
        var administered = caller.OrganizationRole >= OrganizationRole.Admin ? caller.OrganizationId : null;
        var workspaces = await db.Workspaces.AsNoTracking()
            .Where(w => w.OrganizationId == administered || db.WorkspaceMembers.Any(m => m.WorkspaceId == w.Id && m.UserId == userId))
            .OrderBy(w => w.CreatedAt)
            .Select(w => new ExportWorkspace(w.Id, w.Name, w.Slug))
            .ToListAsync(cancellationToken);
        return Archive(writer, ExportScope.OfPerson(person, workspaces), $"catsyphon-export-me-{Today(time)}.zip", cancellationToken);
    }

    private static PushStreamHttpResult Archive(ExportWriter writer, ExportScope scope, string fileName, CancellationToken cancellationToken) =>
        TypedResults.Stream(body => writer.WriteAsync(body, scope, cancellationToken), ZipType, fileName);

    private static string Today(TimeProvider time) => time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
