using System.Text;
using System.Text.Json;
using Dapper;

namespace CatSyphon.ApiService.Apis.Query.Conversations;

/// <summary>The SQL of the conversation list, one conversation and its transcript.</summary>
internal static class ConversationQueries
{
    /// <summary>Columns of a conversation row (<c>c</c>); tokens and cost are added from <see cref="PricedTokenTotals"/>.
    /// The query names <c>@activeSince</c> (<see cref="SessionActivity"/>).</summary>
    internal const string SummaryColumns = $$"""
        c.id, c.session_id, c.title, c.agent_type, c.agent_version, c.project_id, p.name AS project_name, c.developer_id,
        coalesce(d.display_name, d.username) AS developer_name, c.git_branch, {{SessionActivity.ColumnsSql}}, c.outcome, c.summary,
        c.started_at, c.last_event_at,
        extract(epoch FROM coalesce(c.ended_at, c.last_event_at) - coalesce(c.started_at, c.first_event_at))::float8 AS duration_seconds,
        c.message_count, c.tool_call_count, c.event_count, c.has_plan, c.has_errors, c.parent_conversation_id, c.parent_session_id,
        c.from_telemetry AND c.event_count = 0 AS telemetry_only,
        (SELECT count(*) FROM conversations k WHERE k.parent_conversation_id = c.id)::int AS child_count,
        coalesce(t.models, '{}') AS models,
        CASE WHEN si.conversation_id IS NOT NULL THEN json_build_object(
            'intent', si.intent, 'outcome', si.outcome, 'iterations', si.iterations, 'error_count', si.error_count,
            'tools', si.tools_used, 'languages', si.languages, 'areas', si.areas)::text END AS tags
        """;

    internal const string SummaryJoins = """
        LEFT JOIN projects p ON p.id = c.project_id
        LEFT JOIN developers d ON d.id = c.developer_id
        LEFT JOIN session_insights si ON si.conversation_id = c.id
        LEFT JOIN LATERAL (
            SELECT array_agg(DISTINCT u.model) FILTER (WHERE u.model IS NOT NULL) AS models
            FROM token_usages u WHERE u.conversation_id = c.id) t ON true
        """;

    /// <summary>A session (<c>c</c>) of the person <c>@owner</c>: from one of their collectors or a developer identity linked to them.</summary>
    internal const string OwnedSql = """
        (EXISTS (SELECT 1 FROM collectors k WHERE k.id = c.collector_id AND k.user_id = @owner)
         OR EXISTS (SELECT 1 FROM developers v WHERE v.id = c.developer_id AND v.user_id = @owner))
        """;

    /// <summary>
    /// A page of the list and one row more when there is a next page; tokens and cost are not in them yet. A search
    /// matches transcripts, so under <paramref name="access"/>'s own-transcripts rule it looks at the caller's sessions only.
    /// </summary>
    public static async Task<List<ConversationSummary>> ListAsync(
        QueryDbContext db, Guid workspace, ConversationFilter filter, RequestAccess access, DateTimeOffset activeSince, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filters(workspace, filter, activeSince);
        var owner = filter.Mine == true ? access.Caller.UserId ?? Guid.Empty : filter.Query is not null ? access.TranscriptsOnlyOf : null;
        if (owner is { } person)
        {
            where += " AND " + OwnedSql;
            parameters.Add("owner", person);
        }

        if (filter.Query is { } text)
        {
            return await ConversationSearch.PageAsync(db, where, parameters, text, filter.After, cancellationToken);
        }

        var sql = ListSql(where, parameters, filter);
        return (await db.Database.GetDbConnection().QueryAsync<ConversationSummary>(
            new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The evidence behind a conversation's tags; empty before it is tagged.</summary>
    public static async Task<IReadOnlyList<TagEvidence>> EvidenceAsync(QueryDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var json = await db.Database.GetDbConnection().ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT evidence::text FROM session_insights WHERE conversation_id = @id", new { id }, cancellationToken: cancellationToken));
        return json is null ? [] : JsonSerializer.Deserialize<IReadOnlyList<TagEvidence>>(json, ApiJson.Options) ?? [];
    }

    public static Task<ConversationSummary?> FindAsync(
        QueryDbContext db, Guid workspace, Guid id, DateTimeOffset activeSince, CancellationToken cancellationToken) =>
        db.Database.GetDbConnection().QuerySingleOrDefaultAsync<ConversationSummary>(new CommandDefinition(
            $"SELECT {SummaryColumns} FROM conversations c {SummaryJoins} WHERE c.id = @id AND c.workspace_id = @workspace",
            new { id, workspace, activeSince }, cancellationToken: cancellationToken));

    /// <summary>Whether the workspace holds the conversation and, when <paramref name="owner"/> is given, it is theirs.</summary>
    public static Task<bool> ExistsAsync(QueryDbContext db, Guid workspace, Guid id, Guid? owner, CancellationToken cancellationToken) =>
        db.Database.GetDbConnection().ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM conversations c WHERE c.id = @id AND c.workspace_id = @workspace{(owner is null ? "" : " AND " + OwnedSql)})",
            new { id, workspace, owner }, cancellationToken: cancellationToken));

    /// <summary>The transcript from after sequence <paramref name="after"/>: <paramref name="limit"/> entries at most.</summary>
    public static async Task<List<TranscriptEntry>> TranscriptAsync(
        QueryDbContext db, Guid id, long after, int limit, bool raw, CancellationToken cancellationToken) =>
        (await db.Database.GetDbConnection().QueryAsync<TranscriptRow>(new CommandDefinition(TranscriptSql,
            new { conversation = id, after, limit, raw }, cancellationToken: cancellationToken))).Select(row => row.ToEntry()).ToList();

    /// <summary>
    /// The filters on a conversation (<c>c</c>) of the list and of a search, and their parameters with the workspace's.
    /// The workspace's own condition is not among them: the list and the search add it where it helps the plan (see
    /// <see cref="MessageSearch.MatchesSql"/>).
    /// </summary>
    private static (string Where, DynamicParameters Parameters) Filters(Guid workspace, ConversationFilter filter, DateTimeOffset activeSince)
    {
        var where = new StringBuilder("TRUE");
        var parameters = new DynamicParameters();
        parameters.Add("workspace", workspace);
        parameters.Add("activeSince", activeSince);
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
        // The status reported, not the stored one: see SessionActivity.
        switch (filter.Status)
        {
            case "active":
                where.Append(" AND ").Append(SessionActivity.ActiveSql);
                break;
            case "completed":
                where.Append(" AND NOT ").Append(SessionActivity.ActiveSql);
                break;
        }

        // The outcome and intent the worker's tagging found (session_insights, by primary key for each row the list reads).
        Add("EXISTS (SELECT 1 FROM session_insights i WHERE i.conversation_id = c.id AND i.outcome = @outcome)", "outcome", filter.Outcome);
        Add("EXISTS (SELECT 1 FROM session_insights i WHERE i.conversation_id = c.id AND i.intent = @intent)", "intent", filter.Intent);
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

        return (where.ToString(), parameters);
    }

    /// <summary>
    /// The list's page without <c>q</c>: it walks an index in the order asked for (last activity or start, then id: see
    /// the conversation indexes) and stops after the page.
    /// </summary>
    private static string ListSql(string filters, DynamicParameters parameters, ConversationFilter filter)
    {
        var where = new StringBuilder("c.workspace_id = @workspace AND ").Append(filters);
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

        return $"""
            SELECT {SummaryColumns}
            FROM (SELECT * FROM conversations c WHERE {where} ORDER BY {column} DESC NULLS LAST, c.id DESC LIMIT @limit) c
            {SummaryJoins}
            ORDER BY {column} DESC NULLS LAST, c.id DESC
            """;
    }

    /// <summary>
    /// A tool_call row carries its call's result (joined on the conversation and tool_use_id, the unique index
    /// of tool_calls), so the tool_result rows that were joined are left out; a result whose call never
    /// arrived is still listed.
    /// </summary>
    private const string TranscriptSql = """
        SELECT m.sequence, m.event_type, m.role, m.message_type, m.content, m.thinking, m.model, m.stop_reason,
               m.uuid, m.parent_uuid, m.emitted_at,
               m.input_tokens, m.output_tokens, m.cache_creation_tokens, m.cache_read_tokens,
               t.tool_use_id, t.tool_name, t.parameters::text AS parameters, t.result, t.success, t.error_message,
               t.called_at, t.completed_at,
               CASE WHEN @raw THEN m.raw_data::text END AS raw_data
        FROM messages m
        LEFT JOIN tool_calls t
               ON m.event_type = 'tool_call' AND t.conversation_id = m.conversation_id AND t.tool_use_id = m.raw_data->>'tool_use_id'
        WHERE m.conversation_id = @conversation
          AND m.sequence > @after
          AND NOT (m.event_type = 'tool_result' AND EXISTS (
                SELECT 1 FROM tool_calls r
                WHERE r.conversation_id = m.conversation_id AND r.tool_use_id = m.raw_data->>'tool_use_id' AND r.message_id IS NOT NULL))
        ORDER BY m.sequence
        LIMIT @limit
        """;

    private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();

    private sealed class TranscriptRow
    {
        public long Sequence { get; init; }
        public required string EventType { get; init; }
        public string? Role { get; init; }
        public string? MessageType { get; init; }
        public string? Content { get; init; }
        public string? Thinking { get; init; }
        public string? Model { get; init; }
        public string? StopReason { get; init; }
        public string? Uuid { get; init; }
        public string? ParentUuid { get; init; }
        public DateTimeOffset EmittedAt { get; init; }
        public long? InputTokens { get; init; }
        public long? OutputTokens { get; init; }
        public long? CacheCreationTokens { get; init; }
        public long? CacheReadTokens { get; init; }
        public string? ToolUseId { get; init; }
        public string? ToolName { get; init; }
        public string? Parameters { get; init; }
        public string? Result { get; init; }
        public bool? Success { get; init; }
        public string? ErrorMessage { get; init; }
        public DateTimeOffset? CalledAt { get; init; }
        public DateTimeOffset? CompletedAt { get; init; }
        public string? RawData { get; init; }

        public TranscriptEntry ToEntry() => new(
            Sequence, EventType, Role, MessageType, Content, Thinking, Model, StopReason, Uuid, ParentUuid, EmittedAt,
            InputTokens is null && OutputTokens is null && CacheCreationTokens is null && CacheReadTokens is null
                ? null
                : new TokenCounts(InputTokens ?? 0, OutputTokens ?? 0, CacheCreationTokens ?? 0, CacheReadTokens ?? 0),
            ToolUseId is null ? null : new ToolCallView(ToolUseId, ToolName, Json(Parameters), Result, Success, ErrorMessage, CalledAt, CompletedAt),
            Json(RawData));
    }
}
