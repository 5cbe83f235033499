using System.Globalization;
using System.Text;
using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Pricing;
using CatSyphon.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

/// <summary>Sessions of a workspace: filtered, searched and paged lists, and one session with everything around it.</summary>
public static class ConversationsApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    /// <summary>Columns of a conversation row (<c>c</c>); tokens and cost are added from <see cref="PricedTokenTotals"/>.</summary>
    private const string SummaryColumns = """
        c.id, c.session_id, c.agent_type, c.agent_version, c.project_id, p.name AS project_name, c.developer_id,
        coalesce(d.display_name, d.username) AS developer_name, c.git_branch, c.status, c.outcome, c.summary,
        c.started_at, c.ended_at, c.last_event_at,
        extract(epoch FROM coalesce(c.ended_at, c.last_event_at) - coalesce(c.started_at, c.first_event_at))::float8 AS duration_seconds,
        c.message_count, c.tool_call_count, c.event_count, c.has_plan, c.has_errors, c.parent_conversation_id, c.parent_session_id,
        (SELECT count(*) FROM conversations k WHERE k.parent_conversation_id = c.id)::int AS child_count,
        coalesce(t.models, '{}') AS models
        """;

    private const string SummaryJoins = """
        LEFT JOIN projects p ON p.id = c.project_id
        LEFT JOIN developers d ON d.id = c.developer_id
        LEFT JOIN LATERAL (
            SELECT array_agg(DISTINCT u.model) FILTER (WHERE u.model IS NOT NULL) AS models
            FROM token_usages u WHERE u.conversation_id = c.id) t ON true
        """;

    public static RouteGroupBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/conversations")
            .WithTags("Conversations")
            .RequireAuthorization(Policies.Admin);

        api.MapGet("/", ListConversations)
            .WithSummary("Sessions of a workspace with filters, full-text search (q, ranked, with highlighted snippets) and keyset paging");
        api.MapGet("/{id:guid}", GetConversation)
            .WithSummary("One session: metadata, counters, tokens and cost by model, parent and sub-agents, files touched and plans");
        return api;
    }

    public static async Task<Results<Ok<ConversationPage>, ProblemHttpResult>> ListConversations(
        [AsParameters] ConversationFilter filter,
        CatSyphonDbContext db,
        PricedTokenTotals tokens,
        CancellationToken cancellationToken)
    {
        if (filter.Validate() is { } invalid)
        {
            return invalid;
        }

        if (await WorkspacesApi.CheckWorkspaceAsync(filter.WorkspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var query = BuildListQuery(filter);
        var rows = (await db.Database.GetDbConnection().QueryAsync<ConversationSummary>(
            new CommandDefinition(query.Sql, query.Parameters, cancellationToken: cancellationToken))).ToList();
        var size = filter.PageSize;
        var page = rows.Take(size).ToList();
        var next = rows.Count > size ? ListCursor.Format(page[^1], filter.Ordering) : null;
        var totals = await tokens.QueryAsync(db, "u.conversation_id::text", "u.conversation_id = ANY(@ids)",
            [new("ids", page.Select(c => c.Id).ToArray())], cancellationToken);
        return TypedResults.Ok(new ConversationPage(page.Select(c => WithTokens(c, totals.GetValueOrDefault(c.Id.ToString()))).ToList(), next));
    }

    public static async Task<Results<Ok<ConversationDetail>, ProblemHttpResult>> GetConversation(
        Guid id,
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        CatSyphonDbContext db,
        PricedTokenTotals tokens,
        CancellationToken cancellationToken)
    {
        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var connection = db.Database.GetDbConnection();
        var summary = await connection.QuerySingleOrDefaultAsync<ConversationSummary>(new CommandDefinition(
            $"SELECT {SummaryColumns} FROM conversations c {SummaryJoins} WHERE c.id = @id AND c.workspace_id = @workspace",
            new { id, workspace = workspaceId }, cancellationToken: cancellationToken));
        if (summary is null)
        {
            return ConversationMessagesApi.ConversationNotFound(id);
        }

        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.WorkingDirectory, c.Hostname }).SingleAsync(cancellationToken);
        var byModel = (await tokens.QueryAsync(db, "u.model", "u.conversation_id = @id", [new("id", id)], cancellationToken)).Values.ToList();
        var sum = byModel.Aggregate(PricedTotals.None, (total, model) => total.Add(model));
        var parent = summary.ParentConversationId is { } parentId
            ? await References(db.Conversations.Where(c => c.Id == parentId)).SingleOrDefaultAsync(cancellationToken)
            : null;
        var children = await References(db.Conversations.Where(c => c.ParentConversationId == id).OrderBy(c => c.StartedAt).ThenBy(c => c.Id))
            .ToListAsync(cancellationToken);
        var files = await db.FilesTouched.AsNoTracking().Where(f => f.ConversationId == id).OrderBy(f => f.TouchedAt).ThenBy(f => f.Id)
            .Select(f => new FileTouchedView(f.Path, f.ChangeKind, f.LinesAdded, f.LinesDeleted, f.TouchedAt))
            .ToListAsync(cancellationToken);
        var plans = await PlansApi.PlansOfConversation(db, id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ConversationDetail(WithTokens(summary, sum), conversation.WorkingDirectory, conversation.Hostname, byModel, parent, children, files, plans));
    }

    private static ConversationSummary WithTokens(ConversationSummary conversation, PricedTotals? totals) => totals is null ? conversation : conversation with
    {
        InputTokens = totals.Input,
        OutputTokens = totals.Output,
        CacheCreationTokens = totals.CacheCreation,
        CacheReadTokens = totals.CacheRead,
        CostUsd = totals.Cost,
        UnpricedTokens = totals.UnpricedTokens,
    };

    private static IQueryable<ConversationRef> References(IQueryable<Conversation> conversations) =>
        conversations.AsNoTracking().Select(c => new ConversationRef(c.Id, c.SessionId, c.AgentType, c.MessageCount, c.StartedAt));

    /// <summary>
    /// The page query. Without <c>q</c> it walks an index in the order asked for (last activity or start, then id:
    /// see the conversation indexes) and stops after the page; with <c>q</c> the matching messages are found in
    /// message_search (through its GIN index, or a parallel scan of its narrow rows when the terms are in most
    /// messages), each conversation is ranked by its best match, and the page is ordered by rank.
    /// </summary>
    private static (string Sql, DynamicParameters Parameters) BuildListQuery(ConversationFilter filter)
    {
        var where = new StringBuilder("c.workspace_id = @workspace");
        var parameters = new DynamicParameters();
        parameters.Add("workspace", filter.WorkspaceId);
        parameters.Add("limit", filter.PageSize + 1);

        void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Append(" AND ").Append(condition);
                parameters.Add(name, value);
            }
        }

        Add("c.project_id = @project", "project", filter.ProjectId);
        Add("c.developer_id = @developer", "developer", filter.DeveloperId);
        Add("c.agent_type = @agent", "agent", filter.AgentType);
        Add("c.status = @status", "status", filter.Status);
        Add("c.outcome = @outcome", "outcome", filter.Outcome);
        Add("coalesce(c.started_at, c.first_event_at) >= @from", "from", SqlQueries.Utc(filter.From));
        Add("coalesce(c.started_at, c.first_event_at) < @to", "to", SqlQueries.Utc(filter.To));
        Add("c.has_plan = @hasPlan", "hasPlan", filter.HasPlan);
        Add("c.has_errors = @hasErrors", "hasErrors", filter.HasErrors);
        Add("c.parent_conversation_id = @parent", "parent", filter.ParentId);
        Add("EXISTS (SELECT 1 FROM token_usages m WHERE m.conversation_id = c.id AND m.model = @model)", "model", filter.Model);
        switch (filter.Kind)
        {
            case "main":
                where.Append(" AND c.parent_session_id IS NULL");
                break;
            case "sub_agent":
                where.Append(" AND c.parent_session_id IS NOT NULL");
                break;
        }

        if (filter.Query is { } text)
        {
            parameters.Add("q", text);
            if (filter.After is { } after)
            {
                where.Append(" AND (b.rank, c.id) < (@afterRank, @afterId)");
                parameters.Add("afterRank", after.Rank);
                parameters.Add("afterId", after.Id);
            }

            // Conversations are ranked by their best matching message: one pass over the matches (a hash aggregate, no
            // sort of every match), then the snippet of each conversation of the page only. The query is written out
            // where it is used, not in a CTE, so the planner sees it: selective terms go through the GIN index, terms
            // found in most messages through a parallel scan. The snippet's OFFSET 0 keeps the GIN index out of a
            // lookup that the conversation's own rows answer faster.
            const string query = "websearch_to_tsquery('english', @q)";
            return ($"""
                WITH best AS (
                    SELECT m.conversation_id, max(ts_rank(m.search_vector, {query}))::float8 AS rank
                    FROM message_search m
                    WHERE m.search_vector @@ {query}
                    GROUP BY m.conversation_id),
                page AS (
                    SELECT c.*, b.rank
                    FROM best b JOIN conversations c ON c.id = b.conversation_id
                    WHERE {where}
                    ORDER BY b.rank DESC, c.id DESC
                    LIMIT @limit)
                SELECT {SummaryColumns}, c.rank, hit.snippet
                FROM page c
                {SummaryJoins}
                LEFT JOIN LATERAL (
                    SELECT ts_headline('english', left(coalesce(m.content, m.thinking, ''), 20000), {query},
                                       'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
                    FROM (SELECT message_id, search_vector FROM message_search WHERE conversation_id = c.id OFFSET 0) s
                    JOIN messages m ON m.id = s.message_id
                    WHERE s.search_vector @@ {query}
                    ORDER BY ts_rank(s.search_vector, {query}) DESC, m.id
                    LIMIT 1) hit ON true
                ORDER BY c.rank DESC, c.id DESC
                """, parameters);
        }

        // Newest first, rows without a time last: the order of the (workspace | project | developer, last_event_at DESC
        // NULLS LAST, id DESC) indexes, so a page is read from an index and the scan stops at the page's end.
        var column = filter.Ordering == ListOrdering.Started ? "c.started_at" : "c.last_event_at";
        if (filter.After is { } cursor)
        {
            parameters.Add("afterId", cursor.Id);
            if (cursor.Time is { } time)
            {
                where.Append($" AND ({column} < @afterTime OR ({column} = @afterTime AND c.id < @afterId) OR {column} IS NULL)");
                parameters.Add("afterTime", time);
            }
            else
            {
                where.Append($" AND {column} IS NULL AND c.id < @afterId");
            }
        }

        return ($"""
            SELECT {SummaryColumns}
            FROM (SELECT * FROM conversations c WHERE {where} ORDER BY {column} DESC NULLS LAST, c.id DESC LIMIT @limit) c
            {SummaryJoins}
            ORDER BY {column} DESC NULLS LAST, c.id DESC
            """, parameters);
    }

    public enum ListOrdering
    {
        LastActivity,
        Started,
        Relevance,
    }

    /// <summary>The query string of the conversation list.</summary>
    public sealed class ConversationFilter
    {
        [FromQuery(Name = "workspace_id")] public Guid? WorkspaceId { get; init; }
        [FromQuery(Name = "project_id")] public Guid? ProjectId { get; init; }
        [FromQuery(Name = "developer_id")] public Guid? DeveloperId { get; init; }
        [FromQuery(Name = "agent_type")] public string? AgentType { get; init; }
        [FromQuery(Name = "model")] public string? Model { get; init; }
        [FromQuery(Name = "status")] public string? Status { get; init; }
        [FromQuery(Name = "outcome")] public string? Outcome { get; init; }
        [FromQuery(Name = "from")] public DateTimeOffset? From { get; init; }
        [FromQuery(Name = "to")] public DateTimeOffset? To { get; init; }
        [FromQuery(Name = "has_plan")] public bool? HasPlan { get; init; }
        [FromQuery(Name = "has_errors")] public bool? HasErrors { get; init; }

        /// <summary><c>main</c> (no parent), <c>sub_agent</c>, or all when absent.</summary>
        [FromQuery(Name = "kind")] public string? Kind { get; init; }

        [FromQuery(Name = "parent_id")] public Guid? ParentId { get; init; }
        [FromQuery(Name = "q")] public string? Q { get; init; }

        /// <summary><c>last_activity</c> (default) or <c>started</c>; search results are ordered by relevance.</summary>
        [FromQuery(Name = "sort")] public string? Sort { get; init; }

        [FromQuery(Name = "limit")] public int? Limit { get; init; }
        [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

        internal string? Query => string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();

        internal int PageSize => Limit ?? DefaultPageSize;

        internal ListOrdering Ordering => Query is not null ? ListOrdering.Relevance : Sort == "started" ? ListOrdering.Started : ListOrdering.LastActivity;

        internal ListCursor? After { get; private set; }

        internal ProblemHttpResult? Validate()
        {
            var errors = new Dictionary<string, string[]>();
            if (PageSize is < 1 or > MaxPageSize)
            {
                errors["limit"] = [$"limit must be between 1 and {MaxPageSize}."];
            }

            if (Kind is not (null or "main" or "sub_agent"))
            {
                errors["kind"] = ["kind must be main or sub_agent."];
            }

            if (Sort is not (null or "last_activity" or "started"))
            {
                errors["sort"] = ["sort must be last_activity or started."];
            }

            if (Status is not (null or "active" or "completed"))
            {
                errors["status"] = ["status must be active or completed."];
            }

            if (Q is { Length: > 500 })
            {
                errors["q"] = ["q is limited to 500 characters."];
            }

            if (From is { } from && To is { } to && to <= from)
            {
                errors["to"] = ["to must be after from."];
            }

            if (Cursor is not null)
            {
                if (ListCursor.TryParse(Cursor, Ordering, out var after))
                {
                    After = after;
                }
                else
                {
                    errors["cursor"] = ["cursor is not one this list returned (with the same sort and search)."];
                }
            }

            return errors.Count == 0 ? null : ApiProblems.Validation(errors);
        }
    }

    /// <summary>Where the next page starts: the last row's sort key (time or rank) and id, tagged with the ordering.</summary>
    internal readonly record struct ListCursor(DateTimeOffset? Time, double Rank, Guid Id)
    {
        public static string Format(ConversationSummary last, ListOrdering ordering) => ordering switch
        {
            ListOrdering.Relevance => string.Create(CultureInfo.InvariantCulture, $"r_{last.Rank ?? 0:R}_{last.Id:N}"),
            ListOrdering.Started => $"s_{Ticks(last.StartedAt)}_{last.Id:N}",
            _ => $"a_{Ticks(last.LastEventAt)}_{last.Id:N}",
        };

        public static bool TryParse(string text, ListOrdering ordering, out ListCursor cursor)
        {
            cursor = default;
            var parts = text.Split('_');
            var tag = ordering switch { ListOrdering.Relevance => "r", ListOrdering.Started => "s", _ => "a" };
            if (parts.Length != 3 || parts[0] != tag || !Guid.TryParseExact(parts[2], "N", out var id))
            {
                return false;
            }

            if (ordering == ListOrdering.Relevance)
            {
                if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rank) || !double.IsFinite(rank))
                {
                    return false;
                }

                cursor = new ListCursor(null, rank, id);
                return true;
            }

            if (parts[1] == NoTime)
            {
                cursor = new ListCursor(null, 0, id);
                return true;
            }

            if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return false;
            }

            cursor = new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), 0, id);
            return true;
        }

        private const string NoTime = "none";

        private static string Ticks(DateTimeOffset? time) => time is { } t ? t.UtcTicks.ToString(CultureInfo.InvariantCulture) : NoTime;
    }
}
