namespace CatSyphon.Worker.Persisting;

/// <summary>
/// The API appends a session's batches before it knows whether the conversation row exists, and may
/// leave <see cref="BufferedBatch.ConversationId"/> empty: the id in force is the session state's
/// <c>conversation_id</c> (the one the API answered). Without a state (it expired), a new id is proposed:
/// an existing conversation row keeps its own id anyway.
/// </summary>
internal static class ConversationIdResolver
{
    public static async Task<List<BufferedBatch>> ResolveAsync(IConnectionMultiplexer redis, List<BufferedBatch> batches)
    {
        var missing = batches.Where(b => b.ConversationId == Guid.Empty).Select(b => (b.WorkspaceId, b.SessionId)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return batches;
        }

        var db = redis.GetDatabase();
        var lookups = missing.Select(key => db.HashGetAsync(IngestionRedisKeys.SessionState(key.WorkspaceId, key.SessionId), "conversation_id")).ToList();
        await Task.WhenAll(lookups);
        var resolved = new Dictionary<(Guid, string), Guid>();
        for (var i = 0; i < missing.Count; i++)
        {
            var value = lookups[i].Result;
            resolved[missing[i]] = value.HasValue && Guid.TryParse(value.ToString(), out var id) && id != Guid.Empty ? id : Guid.CreateVersion7();
        }

        return [.. batches.Select(b => b.ConversationId == Guid.Empty ? b with { ConversationId = resolved[(b.WorkspaceId, b.SessionId)] } : b)];
    }
}
