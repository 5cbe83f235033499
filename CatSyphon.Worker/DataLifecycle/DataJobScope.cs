using System.Globalization;

namespace CatSyphon.Worker.DataLifecycle;

/// <summary>Which sessions a data job removes, as SQL over <c>conversations c</c> with its parameters.</summary>
internal sealed record DataJobScope(Guid JobId, Guid WorkspaceId, DataJobKind Kind, string? Target)
{
    /// <summary>A session with its sub-agent sessions, however deep (they name their parent by session id).</summary>
    private const string SessionTreeSql = """
        WITH RECURSIVE tree AS (
            SELECT c.id, c.session_id FROM conversations c WHERE c.workspace_id = $1 AND c.session_id = $2
            UNION
            SELECT c.id, c.session_id FROM conversations c JOIN tree t ON c.parent_session_id = t.session_id WHERE c.workspace_id = $1
        )
        SELECT id FROM tree
        """;

    /// <summary>Last activity: the latest event, or when the session was created for one that has none.</summary>
    private const string OlderThanSql =
        "SELECT c.id FROM conversations c WHERE c.workspace_id = $1 AND (c.last_event_at < $2 OR (c.last_event_at IS NULL AND c.created_at < $2))";

    /// <summary>Erasures leave tombstones, so resent events stay erased; retention does not (a resent session is new data).</summary>
    public bool LeavesTombstones => Kind != DataJobKind.Retention;

    /// <summary>A retention job's cutoff (its target, written when it was scheduled); null for an erasure.</summary>
    public DateTimeOffset? RetentionCutoff => Kind == DataJobKind.Retention
        ? DateTimeOffset.Parse(Target!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime()
        : null;

    /// <summary>A query of the ids of the conversations the job removes.</summary>
    public string CandidatesSql => Kind switch
    {
        DataJobKind.EraseSession => SessionTreeSql,
        DataJobKind.EraseDeveloper => "SELECT c.id FROM conversations c WHERE c.workspace_id = $1 AND c.developer_id = $2",
        DataJobKind.EraseWorkspace => "SELECT c.id FROM conversations c WHERE c.workspace_id = $1",
        DataJobKind.Retention => OlderThanSql,
        _ => throw new InvalidOperationException($"Unknown data job kind {Kind}."),
    };

    /// <summary>A command of <paramref name="sql"/> (which holds <see cref="CandidatesSql"/>) with the candidates' parameters.</summary>
    public NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = WorkspaceId });
        object? target = Kind switch
        {
            DataJobKind.EraseSession => Target!,
            DataJobKind.EraseDeveloper => Guid.Parse(Target!),
            DataJobKind.Retention => RetentionCutoff!.Value,
            _ => null,
        };
        if (target is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = target });
        }

        return command;
    }
}
