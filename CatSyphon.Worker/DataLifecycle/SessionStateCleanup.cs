namespace CatSyphon.Worker.DataLifecycle;

/// <summary>
/// Forgets deleted sessions in Redis: their state and dedup window (so a later resend is not answered from them: the API
/// seeds the session again from PostgreSQL, where an erased session's tombstone is), and their dead letters, which hold
/// the events' content.
/// </summary>
internal static class SessionStateCleanup
{
    public static async Task ClearAsync(IConnectionMultiplexer redis, Guid workspaceId, IEnumerable<string> sessionIds)
    {
        var database = redis.GetDatabase();
        foreach (var sessionId in sessionIds)
        {
            // A session's keys share its shard's hash tag (one DEL); the server-wide dead letters do not.
            await database.KeyDeleteAsync(
            [
                IngestionRedisKeys.SessionState(workspaceId, sessionId),
                IngestionRedisKeys.SessionHashes(workspaceId, sessionId),
                IngestionRedisKeys.SessionHashOrder(workspaceId, sessionId),
            ]);
            var deadLetters = IngestionRedisKeys.SessionDeadLetters(workspaceId, sessionId);
            var ids = await database.SetMembersAsync(deadLetters);
            if (ids.Length > 0)
            {
                await database.StreamDeleteAsync(IngestionRedisKeys.DeadLetters, ids);
                await database.KeyDeleteAsync(deadLetters);
            }
        }
    }
}
