namespace CatSyphon.Worker.Persisting;

/// <summary>
/// The conversations of a set as PostgreSQL holds them in its transaction: the id in force per session, which the set
/// created, and where the titles of those that have one came from.
/// </summary>
internal sealed class SetConversations(
    IReadOnlyList<SessionKey> sessions, Dictionary<(Guid, string), Guid> ids, HashSet<Guid> created, Dictionary<Guid, TitleSource> titleSources)
{
    private Dictionary<Guid, Guid>? workspaceOf;

    public IReadOnlyList<SessionKey> Sessions => sessions;

    /// <summary>Whether the session has a conversation: not when it was erased (its tombstone kept it from being created).</summary>
    public bool Has(SessionKey session) => ids.ContainsKey((session.WorkspaceId, session.SessionId));

    /// <summary>The same conversations for fewer sessions (a set without its erased sessions).</summary>
    public SetConversations Of(IReadOnlyList<SessionKey> kept) => new(kept, ids, created, titleSources);

    public Guid IdOf(Guid workspaceId, string sessionId) => ids[(workspaceId, sessionId)];

    public Guid IdOf(SessionKey session) => IdOf(session.WorkspaceId, session.SessionId);

    public Guid IdOf(BufferedBatch batch) => IdOf(batch.WorkspaceId, batch.SessionId);

    /// <summary>Where the conversation's stored title came from; null when it has none yet.</summary>
    public TitleSource? TitleSourceOf(Guid conversationId) => titleSources.TryGetValue(conversationId, out var source) ? source : null;

    public bool Created(SessionKey session) => created.Contains(IdOf(session));

    public Guid WorkspaceOf(Guid conversationId) =>
        (workspaceOf ??= sessions.ToDictionary(IdOf, session => session.WorkspaceId))[conversationId];

    /// <summary>Each conversation's persisted sequence, under its session.</summary>
    public IReadOnlyList<SessionProgress> Progress(Dictionary<Guid, long> persisted)
    {
        var sessionOf = ids.ToDictionary(pair => pair.Value, pair => pair.Key);
        return [.. persisted.Select(pair => new SessionProgress(sessionOf[pair.Key].Item1, sessionOf[pair.Key].Item2, pair.Value))];
    }
}
