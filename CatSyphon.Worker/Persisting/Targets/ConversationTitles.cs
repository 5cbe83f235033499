namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>
/// Titles of the set's conversations: the agent's summary record when one arrives (it replaces a prompt title), else
/// the first real prompt of a conversation that has no title yet (it never replaces anything). Only conversations that
/// still lack the better title are looked at, and of those at most <see cref="SessionTitles.PromptsExamined"/> prompts
/// per set, so a long session pays nothing once titled.
/// </summary>
internal static class ConversationTitles
{
    private static readonly string SummarySource = WireName.Of(TitleSource.Summary);

    // A summary replaces a prompt title; a prompt only fills an empty one. A replay proposes the same title again.
    private static readonly string ApplySql = $"""
        UPDATE conversations c SET title = u.title, title_source = u.source, updated_at = now()
        FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, title, source)
        WHERE c.id = u.id
          AND (c.title_source IS NULL OR (u.source = '{SummarySource}' AND c.title_source <> '{SummarySource}'))
        """;

    public static void Add(NpgsqlBatch batch, IReadOnlyList<EventRow> rows, SetConversations conversations) => Add(
        batch,
        rows.Where(row => row.EventType == EventType.Message).Select(row => new TitleCandidate(row.ConversationId, row.Role, row.MessageType, row.Uuid, row.Content)),
        conversations.TitleSourceOf);

    /// <summary>Adds the update of the titles <paramref name="messages"/> give, if any; returns how many conversations it names.</summary>
    public static int Add(NpgsqlBatch batch, IEnumerable<TitleCandidate> messages, Func<Guid, TitleSource?> storedSource)
    {
        var titles = Choose(messages, storedSource);
        if (titles.Count == 0)
        {
            return 0;
        }

        var list = titles.OrderBy(pair => pair.Key).ToList();
        batch.BatchCommands.Add(Sql.Command(
            ApplySql,
            list.Select(pair => pair.Key).ToArray(),
            list.Select(pair => pair.Value.Title).ToArray(),
            list.Select(pair => WireName.Of(pair.Value.Source)).ToArray()));
        return list.Count;
    }

    /// <summary>
    /// The best title each conversation's messages (in sequence order) give, for the conversations whose stored
    /// <see cref="TitleSource"/> (<paramref name="storedSource"/>) it would improve.
    /// </summary>
    public static Dictionary<Guid, (string Title, TitleSource Source)> Choose(
        IEnumerable<TitleCandidate> messages, Func<Guid, TitleSource?> storedSource)
    {
        var chosen = new Dictionary<Guid, (string Title, TitleSource Source)>();
        var promptsSeen = new Dictionary<Guid, int>();
        foreach (var row in messages)
        {
            var id = row.ConversationId;
            var best = chosen.TryGetValue(id, out var current) ? current.Source : storedSource(id);
            if (best == TitleSource.Summary)
            {
                continue;
            }

            if (SessionTitles.IsTitleRecord(row.Role, row.MessageType, row.Uuid, row.Content))
            {
                if (SessionTitles.FromSummary(row.Content) is { } summary)
                {
                    chosen[id] = (summary, TitleSource.Summary);
                }
            }
            else if (best is null && SessionTitles.IsPrompt(row.Role, row.MessageType)
                     && promptsSeen.GetValueOrDefault(id) < SessionTitles.PromptsExamined)
            {
                promptsSeen[id] = promptsSeen.GetValueOrDefault(id) + 1;
                if (SessionTitles.FromPrompt(row.Content) is { } prompt)
                {
                    chosen[id] = (prompt, TitleSource.Prompt);
                }
            }
        }

        return chosen;
    }
}

/// <summary>What the title rules read of a message event.</summary>
internal readonly record struct TitleCandidate(Guid ConversationId, AuthorRole? Role, MessageType? MessageType, string? Uuid, string? Content);
