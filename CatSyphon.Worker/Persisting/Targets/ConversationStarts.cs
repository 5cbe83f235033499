namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>
/// What a new <c>session_start</c> says about its conversation: agent, directory, branch, host, parent session, start
/// time, and the project (by working directory) and developer it belongs to, created when first seen.
/// </summary>
internal static class ConversationStarts
{
    // Projects and developers: rows of a workspace named by a key unique in it, created once.
    private static readonly string InsertProjectsSql = InsertNamedRowsSql("projects", "directory", "name");

    private static readonly string InsertDevelopersSql = InsertNamedRowsSql("developers", "username", "display_name");

    private static readonly string ApplySql = $"""
        UPDATE conversations c SET
            {Sql.IncomingOrStored("u", "c", "agent_type", "agent_version", "working_directory", "git_branch", "slug", "hostname", "parent_session_id")},
            started_at = LEAST(c.started_at, u.started_at),
            project_id = COALESCE(
                (SELECT p.id FROM projects p WHERE p.workspace_id = c.workspace_id AND p.directory = u.working_directory), c.project_id),
            developer_id = COALESCE(
                (SELECT d.id FROM developers d WHERE d.workspace_id = c.workspace_id AND d.username = u.developer), c.developer_id),
            updated_at = now()
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[])
             AS u(id, agent_type, agent_version, working_directory, git_branch, slug, hostname, parent_session_id, started_at, developer)
        WHERE c.id = u.id
        """;

    /// <summary>Longer directories cannot be indexed (btree row limit); such a session keeps its directory without a project.</summary>
    private const int MaxProjectDirectoryLength = 2000;

    public static void Add(NpgsqlBatch batch, List<EventRow> newStarts, SetConversations conversations)
    {
        if (newStarts.Count == 0)
        {
            return;
        }

        // One session_start per conversation and set: the first by sequence.
        var starts = newStarts
            .GroupBy(row => row.ConversationId)
            .Select(group => (Id: group.Key, Start: group.MinBy(row => row.Sequence)!.Start!))
            .ToList();

        AddNamedRows(batch, InsertProjectsSql, starts
            .Where(s => s.Start.WorkingDirectory is { Length: > 0 and <= MaxProjectDirectoryLength })
            .Select(s => (conversations.WorkspaceOf(s.Id), s.Start.WorkingDirectory!, s.Start.ProjectName)));
        AddNamedRows(batch, InsertDevelopersSql, starts
            .Where(s => s.Start.Developer is not null)
            .Select(s => (conversations.WorkspaceOf(s.Id), s.Start.Developer!, s.Start.DeveloperDisplayName)));

        batch.BatchCommands.Add(Sql.Command(
            ApplySql,
            starts.Select(s => s.Id).ToArray(),
            starts.Select(s => s.Start.AgentType).ToArray(),
            starts.Select(s => s.Start.AgentVersion).ToArray(),
            starts.Select(s => s.Start.WorkingDirectory).ToArray(),
            starts.Select(s => s.Start.GitBranch).ToArray(),
            starts.Select(s => s.Start.Slug).ToArray(),
            starts.Select(s => s.Start.Hostname).ToArray(),
            starts.Select(s => s.Start.ParentSessionId).ToArray(),
            starts.Select(s => s.Start.StartedAt).ToArray(),
            starts.Select(s => s.Start.Developer).ToArray()));
    }

    private static string InsertNamedRowsSql(string table, string key, string name) => $"""
        INSERT INTO {table} (id, workspace_id, {key}, {name}, created_at)
        SELECT u.id, u.workspace_id, u.{key}, u.{name}, now()
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS u(id, workspace_id, {key}, {name})
        ORDER BY u.workspace_id, u.{key}
        ON CONFLICT (workspace_id, {key}) DO NOTHING
        """;

    /// <summary>Projects and developers: a new id, the workspace, the key unique in it, and a display name; one row per key.</summary>
    private static void AddNamedRows(NpgsqlBatch batch, string sql, IEnumerable<(Guid WorkspaceId, string Key, string? Name)> candidates)
    {
        var rows = candidates.DistinctBy(row => (row.WorkspaceId, row.Key)).ToList();
        if (rows.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(
                sql,
                rows.Select(_ => Guid.CreateVersion7()).ToArray(),
                rows.Select(row => row.WorkspaceId).ToArray(),
                rows.Select(row => row.Key).ToArray(),
                rows.Select(row => row.Name).ToArray()));
        }
    }
}
