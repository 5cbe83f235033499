using System.IO.Hashing;
using System.Text;

namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>
/// Links sub-agent conversations to their parents (<c>parent_conversation_id</c>), whichever of the two arrives first.
/// </summary>
/// <remarks>
/// Every transaction takes a transaction-scoped advisory lock per (workspace, session) involved, and per parent session
/// its session starts name, from its start: a parent and a child persisted concurrently by two shards serialize, and
/// whichever commits second sees the other's row. The locks are taken first and in key order so they never deadlock.
/// </remarks>
internal static class ConversationLinks
{
    private const string AdvisoryLocksSql = """
        SELECT pg_advisory_xact_lock(s.k) FROM (SELECT DISTINCT k FROM unnest($1::bigint[]) AS k ORDER BY k) s
        """;

    private const string LinkToParentsSql = """
        UPDATE conversations c SET parent_conversation_id = p.id
        FROM conversations p
        WHERE c.id = ANY($1::uuid[])
          AND c.parent_conversation_id IS NULL AND c.parent_session_id IS NOT NULL
          AND p.workspace_id = c.workspace_id AND p.session_id = c.parent_session_id AND p.id <> c.id
        """;

    private const string LinkChildrenSql = """
        UPDATE conversations ch SET parent_conversation_id = u.id
        FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS u(id, workspace_id, session_id)
        WHERE ch.workspace_id = u.workspace_id AND ch.parent_session_id = u.session_id
          AND ch.parent_conversation_id IS NULL AND ch.id <> u.id
        """;

    /// <summary>The locks of a set: every session of it, and the parent session of every session_start, in order.</summary>
    public static long[] LockKeys(IEnumerable<SessionKey> sessions, IEnumerable<(BufferedBatch Batch, EventRow Row)> events) => sessions
        .Select(s => LockKey(s.WorkspaceId, s.SessionId))
        .Concat(events.Where(e => e.Row.Start?.ParentSessionId is not null)
            .Select(e => LockKey(e.Batch.WorkspaceId, e.Row.Start!.ParentSessionId!)))
        .Distinct()
        .Order()
        .ToArray();

    /// <summary>One result: a row per lock, which the reader skips.</summary>
    public static void AddLocks(NpgsqlBatch batch, long[] lockKeys) => batch.BatchCommands.Add(Sql.Command(AdvisoryLocksSql, lockKeys));

    /// <summary>Links this set's new children to known parents and this set's new conversations to children that arrived first.</summary>
    public static void Add(NpgsqlBatch batch, List<EventRow> newStarts, SetConversations conversations)
    {
        var children = newStarts
            .Where(row => row.Start!.ParentSessionId is not null)
            .Select(row => row.ConversationId)
            .Distinct()
            .ToArray();
        if (children.Length > 0)
        {
            batch.BatchCommands.Add(Sql.Command(LinkToParentsSql, children));
        }

        var parents = conversations.Sessions.Where(conversations.Created).ToList();
        if (parents.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(
                LinkChildrenSql,
                parents.Select(conversations.IdOf).ToArray(),
                parents.Select(parent => parent.WorkspaceId).ToArray(),
                parents.Select(parent => parent.SessionId).ToArray()));
        }
    }

    /// <summary>A transaction-scoped advisory lock key for a session of a workspace.</summary>
    public static long LockKey(Guid workspaceId, string sessionId)
    {
        var hash = new XxHash64();
        hash.Append(workspaceId.ToByteArray());
        hash.Append(Encoding.UTF8.GetBytes(sessionId));
        return (long)hash.GetCurrentHashAsUInt64();
    }
}
