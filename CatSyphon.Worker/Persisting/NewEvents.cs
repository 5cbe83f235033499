namespace CatSyphon.Worker.Persisting;

/// <summary>
/// The set's events stored: deduplicated within the set (the unique index does it across sets), staged, and written
/// to messages, token usage, tool calls and the conversations' counters in one round trip; what the insert returned
/// tells which lifecycle events (session start and end, tool calls with file or plan facts) are new.
/// </summary>
internal sealed class NewEvents
{
    private NewEvents(List<EventRow> rows) => Rows = rows;

    /// <summary>The set's events, one per (conversation, event hash).</summary>
    public List<EventRow> Rows { get; }

    /// <summary>How many of <see cref="Rows"/> PostgreSQL did not hold yet.</summary>
    public long Inserted { get; private set; }

    public List<EventRow> Starts { get; } = [];

    public List<EventRow> Ends { get; } = [];

    public List<EventRow> ToolFacts { get; } = [];

    /// <summary>Where plans and files come from: the new session ends, then the new tool calls that changed one.</summary>
    public List<(EventRow Row, SessionEndInfo Facts)> PlanAndFileSources =>
        [.. Ends.Select(row => (row, row.End!)), .. ToolFacts.Select(row => (row, row.ToolFacts!))];

    public static async Task<NewEvents> StoreAsync(SqlTransaction sql, PersistSet set, SetConversations conversations, CancellationToken cancellationToken)
    {
        var lifecycle = new Dictionary<(Guid, string), EventRow>();
        var stored = new NewEvents(Deduplicate(set, conversations, lifecycle));
        if (stored.Rows.Count == 0)
        {
            return stored;
        }

        await EventStaging.CopyAsync(sql.Connection, stored.Rows, cancellationToken);

        await using var batch = sql.Batch();
        MessageRows.AddInserts(batch);
        TokenUsageRows.AddUpsert(batch);
        ToolCallRows.AddUpsert(batch);
        ConversationRows.AddAggregates(batch);
        MessageRows.AddNewEventQueries(batch);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            stored.Inserted = reader.GetInt64(0);
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // Tool calls are listed too; only those with file or plan facts were kept.
            if (lifecycle.TryGetValue((reader.GetGuid(0), reader.GetString(1)), out var row))
            {
                (row.Start is not null ? stored.Starts : row.End is not null ? stored.Ends : stored.ToolFacts).Add(row);
            }
        }

        return stored;
    }

    /// <summary>Puts every event under its conversation's id in force, keeps the first of each event hash, and indexes the lifecycle events.</summary>
    private static List<EventRow> Deduplicate(PersistSet set, SetConversations conversations, Dictionary<(Guid, string), EventRow> lifecycle)
    {
        var rows = new List<EventRow>(set.Events.Count);
        var seen = new HashSet<(Guid, string)>();
        foreach (var (batch, row) in set.Events)
        {
            row.ConversationId = conversations.IdOf(batch);
            if (!seen.Add((row.ConversationId, row.EventHash)))
            {
                continue;
            }

            rows.Add(row);
            if (row.Start is not null || row.End is not null || row.ToolFacts is not null)
            {
                lifecycle[(row.ConversationId, row.EventHash)] = row;
            }
        }

        return rows;
    }
}
