namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>
/// Completes conversations: a new <c>session_end</c> event, or an explicit completion (<see cref="BufferedBatchKind.Complete"/>)
/// whose time of arrival stands in for the end when no event says when it ended.
/// </summary>
internal static class ConversationCompletions
{
    private static readonly string CompleteSql = $"""
        UPDATE conversations c SET
            status = 'completed',
            {Sql.IncomingOrStored("u", "c", "outcome", "summary")},
            ended_at = COALESCE(u.ended_at, c.ended_at, u.fallback_ended_at),
            updated_at = now()
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
             AS u(id, outcome, summary, ended_at, fallback_ended_at)
        WHERE c.id = u.id
          AND (c.status <> 'completed'
               OR (u.outcome IS NOT NULL AND c.outcome IS DISTINCT FROM u.outcome)
               OR (u.summary IS NOT NULL AND c.summary IS DISTINCT FROM u.summary)
               OR (u.ended_at IS NOT NULL AND c.ended_at IS DISTINCT FROM u.ended_at)
               OR (c.ended_at IS NULL))
        """;

    public static void Add(NpgsqlBatch batch, IReadOnlyList<BufferedBatch> batches, List<EventRow> newEnds, SetConversations conversations)
    {
        // The latest end of a conversation wins; an earlier one's outcome and summary stay where the later one has none.
        var completions = new Dictionary<Guid, (string? Outcome, string? Summary, DateTimeOffset? EndedAt, DateTimeOffset? Fallback)>();
        foreach (var end in newEnds.OrderBy(row => row.Sequence))
        {
            var current = completions.GetValueOrDefault(end.ConversationId);
            completions[end.ConversationId] = (
                end.End!.Outcome ?? current.Outcome,
                end.End.Summary ?? current.Summary,
                end.End.EndedAt,
                current.Fallback);
        }

        foreach (var complete in batches.Where(b => b is { Kind: BufferedBatchKind.Complete, Completion: not null }))
        {
            var id = conversations.IdOf(complete);
            var current = completions.GetValueOrDefault(id);
            completions[id] = (
                ColumnText.Clean(complete.Completion!.Outcome) ?? current.Outcome,
                ColumnText.Clean(complete.Completion.Summary) ?? current.Summary,
                current.EndedAt,
                current.Fallback ?? complete.ReceivedAt.ToUniversalTime());
        }

        if (completions.Count == 0)
        {
            return;
        }

        var list = completions.OrderBy(pair => pair.Key).ToList();
        batch.BatchCommands.Add(Sql.Command(
            CompleteSql,
            list.Select(pair => pair.Key).ToArray(),
            list.Select(pair => pair.Value.Outcome).ToArray(),
            list.Select(pair => pair.Value.Summary).ToArray(),
            list.Select(pair => pair.Value.EndedAt).ToArray(),
            list.Select(pair => pair.Value.Fallback).ToArray()));
    }
}
