using CatSyphon.ApiService.Apis.Query.Shared;
using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Projects;

/// <summary>The SQL of projects with their activity, and of the files their sessions changed.</summary>
internal static class ProjectQueries
{
    private const string FilesSql = """
        SELECT f.path,
               count(*) AS touches,
               count(DISTINCT f.conversation_id) AS sessions,
               coalesce(sum(f.lines_added), 0) AS lines_added,
               coalesce(sum(f.lines_deleted), 0) AS lines_deleted,
               array_agg(DISTINCT f.change_kind ORDER BY f.change_kind) AS change_kinds,
               max(f.touched_at) AS last_touched_at
        FROM files_touched f
        JOIN conversations c ON c.id = f.conversation_id
        WHERE c.workspace_id = @workspace AND c.project_id = @project
          AND (CAST(@from AS timestamptz) IS NULL OR f.touched_at >= @from)
          AND (CAST(@to AS timestamptz) IS NULL OR f.touched_at < @to)
        GROUP BY f.path
        ORDER BY coalesce(sum(f.lines_added), 0) + coalesce(sum(f.lines_deleted), 0) DESC, count(*) DESC, f.path
        LIMIT @limit
        """;

    /// <summary>The workspace's projects (or only <paramref name="project"/>), most recently active first.</summary>
    public static async Task<List<ProjectView>> ProjectsAsync(
        QueryDbContext db, PricedTokenTotals tokens, Guid workspace, Guid? project, CancellationToken cancellationToken)
    {
        var rows = await db.Database.GetDbConnection().QueryAsync<ActivityRow>(new CommandDefinition("""
            SELECT p.id, p.name, p.directory AS detail, count(c.id) AS sessions,
                   count(DISTINCT c.developer_id) AS others, max(c.last_event_at) AS last_activity_at
            FROM projects p LEFT JOIN conversations c ON c.project_id = p.id
            WHERE p.workspace_id = @workspace AND (CAST(@project AS uuid) IS NULL OR p.id = @project)
            GROUP BY p.id
            ORDER BY max(c.last_event_at) DESC NULLS LAST, p.name
            """, new { workspace, project }, cancellationToken: cancellationToken));
        var totals = await tokens.QueryRangeAsync(db, "c.project_id::text", workspace, new TimeRange(), cancellationToken, project);
        return rows.Select(r => new ProjectView(r.Id, r.Name, r.Detail ?? "", r.Sessions, r.Others, r.LastActivityAt,
            totals.GetValueOrDefault(r.Id.ToString()) ?? PricedTotals.None)).ToList();
    }

    public static Task<bool> ExistsAsync(QueryDbContext db, Guid workspace, Guid id, CancellationToken cancellationToken) =>
        db.Projects.AnyAsync(p => p.Id == id && p.WorkspaceId == workspace, cancellationToken);

    /// <summary>The project's files, most changed first (lines added + deleted), touched in the range.</summary>
    public static async Task<List<FileActivity>> FilesAsync(
        QueryDbContext db, Guid workspace, Guid project, TimeRange range, int limit, CancellationToken cancellationToken) =>
        (await db.Database.GetDbConnection().QueryAsync<FileActivity>(new CommandDefinition(FilesSql,
            new { workspace, project, from = SqlQueries.Utc(range.From), to = SqlQueries.Utc(range.To), limit },
            cancellationToken: cancellationToken))).ToList();
}
