namespace CatSyphon.IntegrationTests;

/// <summary>What one session's events look like in PostgreSQL.</summary>
/// <param name="Messages">Rows stored.</param>
/// <param name="Sequences">Distinct sequences among them (fewer than rows: something was stored twice).</param>
/// <param name="OutOfOrder">Rows inserted after a row of a later sequence of the same session.</param>
public sealed record StoredSession(string SessionId, long Messages, long Sequences, long FirstSequence, long LastSequence, long OutOfOrder);

/// <summary>How far ingestion has come: what the API reports persisted, and what PostgreSQL really holds.</summary>
public static class IngestionProgress
{
    /// <summary>The sum of the sessions' <c>persisted_sequence</c>, as the collector protocol reports it.</summary>
    public static async Task<long> PersistedAsync(CollectorClient collector, IEnumerable<string> sessions)
    {
        long total = 0;
        foreach (var session in sessions)
        {
            // A session whose first batch has not arrived yet is unknown: nothing persisted.
            using var response = await collector.Http.GetAsync($"/collectors/sessions/{session}");
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                response.EnsureSuccessStatusCode();
                total += (await CollectorClient.ReadJsonAsync(response)).GetProperty("persisted_sequence").GetInt64();
            }
        }

        return total;
    }

    /// <summary>
    /// PostgreSQL holds exactly <paramref name="sessions"/> in the workspace, each with sequences 1..<paramref name="events"/>
    /// once (as many rows as distinct sequences, none missing at either end), inserted in sequence order.
    /// </summary>
    public static async Task AssertStoredOnceInOrderAsync(CatSyphonApp app, Guid workspaceId, IEnumerable<string> sessions, long events)
    {
        var stored = await StoredSessionsAsync(app, workspaceId);
        Assert.Equal(sessions.Order(StringComparer.Ordinal), stored.Select(session => session.SessionId));
        Assert.All(stored, session =>
        {
            Assert.Equal(events, session.Messages);
            Assert.Equal(events, session.Sequences);
            Assert.Equal(1, session.FirstSequence);
            Assert.Equal(events, session.LastSequence);
            Assert.Equal(0, session.OutOfOrder);
        });
    }

    public static async Task<long> StoredMessagesAsync(CatSyphonApp app, Guid workspaceId) =>
        (await StoredSessionsAsync(app, workspaceId)).Sum(session => session.Messages);

    /// <summary>
    /// Each session of the workspace as stored, in ordinal order of their ids; rows are numbered in insertion order, which
    /// gives <see cref="StoredSession.OutOfOrder"/>.
    /// </summary>
    public static async Task<IReadOnlyList<StoredSession>> StoredSessionsAsync(CatSyphonApp app, Guid workspaceId)
    {
        await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT c.session_id, count(*), count(DISTINCT m.sequence), coalesce(min(m.sequence), 0), coalesce(max(m.sequence), 0),
                   count(*) FILTER (WHERE m.sequence < m.previous)
            FROM (SELECT conversation_id, sequence, lag(sequence) OVER (PARTITION BY conversation_id ORDER BY id) AS previous
                  FROM messages) m
            JOIN conversations c ON c.id = m.conversation_id
            WHERE c.workspace_id = $1
            GROUP BY c.session_id
            ORDER BY c.session_id COLLATE "C"
            """, connection)
        {
            Parameters = { new() { Value = workspaceId } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var sessions = new List<StoredSession>();
        while (await reader.ReadAsync())
        {
            sessions.Add(new StoredSession(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        return sessions;
    }
}
