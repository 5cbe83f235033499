using NpgsqlTypes;

namespace CatSyphon.Data;

/// <summary>
/// The full-text search document of one message or thinking event (<see cref="Message.Content"/> and
/// <see cref="Message.Thinking"/>), written by the worker with the event.
/// </summary>
/// <remarks>
/// A table of its own, not a column of messages: a search that matches most messages ranks every match, and
/// scanning these narrow rows reads a seventh of what scanning messages (tool parameters, raw event data) does.
/// </remarks>
public class MessageSearch
{
    /// <summary>
    /// The vector of a message <c>m</c>, as the worker writes it: each column counts up to its first 100,000 characters,
    /// because PostgreSQL refuses a tsvector over 1 MB of lexemes and positions (at most about 4 bytes per character,
    /// so 800 kB here) and one refused row would fail its whole ingestion batch. Positions stop at 16,383 words anyway.
    /// </summary>
    public const string VectorSql =
        "to_tsvector('english'::regconfig, left(coalesce(m.content, ''), 100000) || ' ' || left(coalesce(m.thinking, ''), 100000))";

    /// <summary>How many messages a search ranks at most: the newest that match it.</summary>
    public const int RankedMatches = 5_000;

    /// <summary>
    /// How many of the newest messages that hold all of a phrase's words a newest-first search checks for the phrase: fewer
    /// than <see cref="RankedMatches"/>, because a phrase of frequent words is in a few percent of the messages that hold
    /// them, and the walk reads that many messages for each one that holds them.
    /// </summary>
    public const int PhraseWindow = 2_000;

    /// <summary>
    /// A phrase found fewer times than this (about a page) among the <see cref="PhraseWindow"/> newest messages that hold
    /// its words is searched among all of the workspace's messages.
    /// </summary>
    public const int PhraseMatchesInWindow = 20;

    /// <summary>
    /// Up to this many messages expected to hold all of a query's words (<see cref="CandidatesSql"/>), a search reads
    /// them all through the GIN index; above it, it walks the workspace's rows newest first. Reading a candidate through
    /// the GIN index costs about four times a row of the walk (a heap page each, where the walk reads a conversation's
    /// rows page after page), and the walk reads about window × (workspace rows / candidates) rows: both cost about the
    /// same near 20,000 candidates in a workspace of 300,000 messages.
    /// </summary>
    public const int IndexedCandidates = 20_000;

    /// <summary>
    /// The workspace's messages that hold all words of <paramref name="query"/>, in conversations that pass
    /// <paramref name="conversationFilter"/>: the API takes PostgreSQL's estimate of their number (EXPLAIN) to choose
    /// the form of <see cref="MatchesSql"/>.
    /// </summary>
    public static string CandidatesSql(string query, string conversationFilter) => $"""
        SELECT s.message_id
        FROM message_search s JOIN conversations c ON c.id = s.conversation_id
        WHERE s.workspace_id = @workspace AND s.search_vector @@ {AllWords(query)} AND {conversationFilter}
        """;

    /// <summary>Whether <paramref name="query"/> has a phrase (word order that <see cref="AllWords"/> drops).</summary>
    public static string HasPhraseSql(string query) => $"SELECT {AllWords(query)}::text <> {query}::text";

    /// <summary>
    /// The messages of workspace <c>@workspace</c> whose vector matches <paramref name="query"/> (a tsquery expression), in
    /// conversations (<c>c</c>) that pass <paramref name="conversationFilter"/> (conditions other than the workspace's: see
    /// <c>IndexedMatches</c>), each with its rank: the
    /// <see cref="RankedMatches"/> newest, or, when <paramref name="window"/> is given, the matches among the newest
    /// <paramref name="window"/> messages that hold all of the query's words.
    /// </summary>
    /// <remarks>
    /// Both forms read only this workspace's rows: the candidates come from the (workspace_id, search_vector) GIN index
    /// or the (workspace_id, message_id) key. Ranking every match of a term found in most messages (hundreds of
    /// thousands in a large workspace) costs more than a page may, and so does reading every message that holds the
    /// words of a phrase of frequent words to check their positions. So the caller picks a form by PostgreSQL's
    /// estimate of the candidates (<see cref="CandidatesSql"/>, <see cref="IndexedCandidates"/>):
    /// <list type="bullet">
    /// <item>few (no <paramref name="window"/>, most queries): the GIN index gives every candidate, each is checked
    /// against the exact query (a phrase's word positions included) and the <see cref="RankedMatches"/> newest matches,
    /// by message id (the order they were stored in), are ranked: every match when fewer.</item>
    /// <item>many (a <paramref name="window"/>: <see cref="RankedMatches"/>, or <see cref="PhraseWindow"/> for a
    /// phrase; the caller turns bitmap and sequential scans off, so no plan reads every candidate): the workspace's key
    /// is walked backwards to the newest <paramref name="window"/> messages that hold all of the query's words (phrases
    /// taken as plain words), and those that match the exact query are ranked. When that window is full but holds fewer
    /// than <see cref="PhraseMatchesInWindow"/> matches (a rare phrase of frequent words), every candidate is checked,
    /// whatever it costs, so a rare exact phrase is still found.</item>
    /// </list>
    /// Every conversation listed matches. What a page may leave out: a conversation whose matches are all older than the
    /// <see cref="RankedMatches"/> newest matches or, for a query whose words are in many messages, older than the newest
    /// <paramref name="window"/> messages that hold them (if those hold at least <see cref="PhraseMatchesInWindow"/>
    /// matches); rarer words or a filter find it (the filters apply before the limit, so they never empty a page that
    /// has matches). A query with a negation is taken as it is.
    /// </remarks>
    public static string MatchesSql(string query, string conversationFilter, int? window) => window is { } size
        ? $"""
            WITH window_ AS MATERIALIZED (
                SELECT s.message_id, s.conversation_id, s.search_vector
                FROM message_search s JOIN conversations c ON c.id = s.conversation_id
                WHERE s.workspace_id = @workspace AND s.search_vector @@ {AllWords(query)} AND {conversationFilter}
                ORDER BY s.message_id DESC
                LIMIT {size}),
            found AS MATERIALIZED (
                SELECT message_id, conversation_id, ts_rank(search_vector, {query}) AS rank FROM window_ WHERE search_vector @@ {query})
            SELECT * FROM found
            UNION ALL
            SELECT * FROM ({IndexedMatches(query, conversationFilter)}) everything
            WHERE (SELECT count(*) FROM window_) = {size} AND (SELECT count(*) FROM found) < {PhraseMatchesInWindow}
            """
        : IndexedMatches(query, conversationFilter);

    /// <summary>
    /// The newest matches among all candidates; <c>message_id + 0</c> keeps the planner from walking the key instead,
    /// and the rank is taken before the sort, so the sort carries no vectors. The conversations' workspace is named
    /// here, so that the candidates are joined with a hash of this workspace's conversations, not of every workspace's.
    /// The walk and the estimate leave it out: PostgreSQL takes a second condition on the workspace as independent of
    /// the first and expects the workspace's share of the rows once more (a tenth of them), which made it sort the
    /// walk's rows again and pick the wrong form.
    /// </summary>
    private static string IndexedMatches(string query, string conversationFilter) => $"""
        SELECT s.message_id, s.conversation_id, ts_rank(s.search_vector, {query}) AS rank
        FROM message_search s JOIN conversations c ON c.id = s.conversation_id
        WHERE s.workspace_id = @workspace AND s.search_vector @@ {query} AND c.workspace_id = @workspace AND {conversationFilter}
        ORDER BY s.message_id + 0 DESC
        LIMIT {RankedMatches}
        """;

    /// <summary>The query with each phrase's order dropped (<c>a &lt;-&gt; b</c> becomes <c>a &amp; b</c>), unless it negates.</summary>
    private static string AllWords(string query) =>
        $"(CASE WHEN strpos({query}::text, '!') > 0 THEN {query} ELSE regexp_replace({query}::text, '<(-|[0-9]+)>', '&', 'g')::tsquery END)";

    public long MessageId { get; set; }

    public Message? Message { get; set; }

    public Guid ConversationId { get; set; }

    /// <summary>The conversation's workspace, copied here so that a search reads only its own workspace's index entries and rows.</summary>
    public Guid WorkspaceId { get; set; }

    public required NpgsqlTsVector SearchVector { get; set; }
}
