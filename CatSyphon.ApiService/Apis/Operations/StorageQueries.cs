using System.Data.Common;
using Dapper;

namespace CatSyphon.ApiService.Apis.Operations;

/// <summary>
/// The SQL of storage monitoring: PostgreSQL's own size functions, the events the conversations hold, and the events
/// accepted per UTC day from <c>ingestion_jobs</c> (one row per batch, read per workspace over its
/// <c>(workspace_id, started_at)</c> index, so the cost follows the window, not the table).
/// </summary>
internal static class StorageQueries
{
    public static Task<long> DatabaseBytesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT pg_database_size(current_database())", cancellationToken: cancellationToken));

    /// <summary>The application's tables (the connection's schema), largest first.</summary>
    public static async Task<List<TableSize>> TablesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<TableSize>(new CommandDefinition("""
            SELECT c.relname::text AS name, pg_total_relation_size(c.oid) AS totalbytes, pg_table_size(c.oid) AS tablebytes,
                   pg_indexes_size(c.oid) AS indexbytes, greatest(c.reltuples, 0)::bigint AS estimatedrows
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
            ORDER BY totalbytes DESC, name
            """, cancellationToken: cancellationToken))).ToList();

    /// <summary>The events every conversation holds (one row per session, far fewer than events).</summary>
    public static Task<long> StoredEventsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT coalesce(sum(event_count), 0)::bigint FROM conversations", cancellationToken: cancellationToken));

    /// <summary>
    /// Events accepted per workspace and UTC day since <paramref name="from"/>, of one workspace or (null) every one; a
    /// workspace without any is one row with no day.
    /// </summary>
    public static async Task<List<WorkspaceDayRow>> EventDaysAsync(
        DbConnection connection, Guid? workspace, DateTimeOffset from, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<WorkspaceDayRow>(new CommandDefinition("""
            SELECT w.id AS workspace_id, w.name, w.organization_id, d.day, coalesce(d.events, 0) AS events, d.first_at
            FROM workspaces w
            LEFT JOIN LATERAL (
                SELECT (j.started_at AT TIME ZONE 'UTC')::date AS day, sum(j.accepted)::bigint AS events, min(j.started_at) AS first_at
                FROM ingestion_jobs j
                WHERE j.workspace_id = w.id AND j.started_at >= @from AND j.accepted > 0
                GROUP BY 1) d ON true
            WHERE CAST(@workspace AS uuid) IS NULL OR w.id = @workspace
            ORDER BY w.name, w.id, d.day
            """, new { workspace, from = from.ToUniversalTime() }, cancellationToken: cancellationToken))).ToList();

    internal sealed class WorkspaceDayRow
    {
        public Guid WorkspaceId { get; init; }

        public required string Name { get; init; }

        public Guid OrganizationId { get; init; }

        public DateTime? Day { get; init; }

        public long Events { get; init; }

        public DateTimeOffset? FirstAt { get; init; }
    }
}
