using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Conversations;

/// <summary>The conversation list with <c>q</c>: ranked full-text search in one workspace.</summary>
internal static class ConversationSearch
{
    private const string Query = "websearch_to_tsquery('english', @q)";

    // random_page_cost 1.1 (rows in memory or on SSD, not the default 4 for spinning disks): the planner's other choices
    // here, the conversations joined and the GIN index's candidates, are priced as reads from memory. work_mem 32 MB keeps
    // the sorts of up to RankedMatches candidates and the bitmap of a common word's candidates in memory (a lossy bitmap
    // rechecks every row). No JIT: compiling the plan of a search of many rows took 50-200 ms, more than running it.
    private const string Settings = "SET LOCAL random_page_cost = 1.1; SET LOCAL work_mem = '32MB'; SET LOCAL jit = off";

    // The newest-first form (MessageSearch.MatchesSql) must walk the workspace's key: with bitmap scans the planner may
    // read every candidate through the GIN index and sort them, and a sequential scan would read other workspaces' rows.
    private const string WalkSettings = "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off";

    /// <summary>
    /// A page of the search and one row more when there is a next page, in one transaction: PostgreSQL's estimate of
    /// the candidates (<see cref="MessageSearch.CandidatesSql"/>) chooses the form of the matches, so one query's plan
    /// is the same on every page and every run, then <see cref="PageSql"/> runs.
    /// </summary>
    public static async Task<List<ConversationSummary>> PageAsync(
        QueryDbContext db, string where, DynamicParameters parameters, string text, ListCursor? after, CancellationToken cancellationToken)
    {
        parameters.Add("q", text);
        var cursor = "";
        if (after is { } last)
        {
            cursor = "WHERE (b.rank, b.conversation_id) < (@afterRank, @afterId)";
            parameters.Add("afterRank", last.Rank);
            parameters.Add("afterId", last.Id);
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(Settings, transaction: transaction, cancellationToken: cancellationToken));
            var window = await WindowAsync(connection, transaction, where, parameters, cancellationToken);
            var page = (await connection.QueryAsync<ConversationSummary>(
                new CommandDefinition(PageSql(where, cursor, window), parameters, transaction, cancellationToken: cancellationToken))).ToList();
            await transaction.CommitAsync(cancellationToken);
            return page;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The window of the newest-first form (<see cref="MessageSearch.MatchesSql"/>) when PostgreSQL expects more than
    /// <see cref="MessageSearch.IndexedCandidates"/> candidates, with the settings that keep its plan to the walk; null
    /// for the GIN index form.
    /// </summary>
    private static async Task<int?> WindowAsync(
        DbConnection connection, DbTransaction transaction, string where, DynamicParameters parameters, CancellationToken cancellationToken)
    {
        var plan = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            $"EXPLAIN (FORMAT JSON) {MessageSearch.CandidatesSql(Query, where)}", parameters, transaction, cancellationToken: cancellationToken));
        if (ExpectedRows(plan!) <= MessageSearch.IndexedCandidates)
        {
            return null;
        }

        var phrase = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"{WalkSettings}; {MessageSearch.HasPhraseSql(Query)}", parameters, transaction, cancellationToken: cancellationToken));
        return phrase ? MessageSearch.PhraseWindow : MessageSearch.RankedMatches;
    }

    /// <summary>The rows the top node of an <c>EXPLAIN (FORMAT JSON)</c> expects.</summary>
    private static double ExpectedRows(string plan)
    {
        using var document = JsonDocument.Parse(plan);
        return document.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }

    /// <summary>
    /// The workspace's matching messages (<see cref="MessageSearch.MatchesSql"/>, which says which are ranked;
    /// <paramref name="where"/> filters their conversations), each conversation ranked by its best match, the page
    /// ordered by rank, and the snippet of that best match. The page's cursor pages through the same ranked set.
    /// </summary>
    private static string PageSql(string where, string cursor, int? window) => $"""
        WITH matches AS (
            {MessageSearch.MatchesSql(Query, where, window)}),
        best AS (
            SELECT DISTINCT ON (conversation_id) conversation_id, message_id, rank::float8 AS rank
            FROM matches
            ORDER BY conversation_id, rank DESC, message_id),
        page AS (
            SELECT c.*, b.rank, b.message_id AS best_message_id
            FROM best b JOIN conversations c ON c.id = b.conversation_id
            {cursor}
            ORDER BY b.rank DESC, b.conversation_id DESC
            LIMIT @limit)
        SELECT {ConversationQueries.SummaryColumns}, c.rank,
               ts_headline('english', left(coalesce(hit.content, hit.thinking, ''), 20000), {Query},
                           'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
        FROM page c
        {ConversationQueries.SummaryJoins}
        JOIN messages hit ON hit.id = c.best_message_id
        ORDER BY c.rank DESC, c.id DESC
        """;
}
