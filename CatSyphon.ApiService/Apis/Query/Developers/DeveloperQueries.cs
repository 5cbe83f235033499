using CatSyphon.ApiService.Apis.Query.Shared;
using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Developers;

/// <summary>The SQL of developers with their activity.</summary>
internal static class DeveloperQueries
{
    /// <summary>The workspace's developers, most recently active first (others = projects).</summary>
    public static Task<IEnumerable<ActivityRow>> ActivityAsync(QueryDbContext db, Guid workspace, CancellationToken cancellationToken) =>
        db.Database.GetDbConnection().QueryAsync<ActivityRow>(new CommandDefinition("""
            SELECT d.id, d.username AS name, d.display_name AS detail, count(c.id) AS sessions,
                   count(DISTINCT c.project_id) AS others, max(c.last_event_at) AS last_activity_at
            FROM developers d LEFT JOIN conversations c ON c.developer_id = d.id
            WHERE d.workspace_id = @workspace
            GROUP BY d.id
            ORDER BY max(c.last_event_at) DESC NULLS LAST, d.username
            """, new { workspace }, cancellationToken: cancellationToken));
}
