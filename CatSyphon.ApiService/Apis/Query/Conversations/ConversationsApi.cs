using CatSyphon.ApiService.Apis.Query.Llm;
using CatSyphon.ApiService.Apis.Query.Plans;

namespace CatSyphon.ApiService.Apis.Query.Conversations;

/// <summary>
/// Conversations of a workspace: filtered, searched and paged lists, one conversation with everything around it, and its
/// transcript (every stored event in sequence order, tool calls joined with their results).
/// </summary>
public static class ConversationsApi
{
    private static readonly OptionalCount TranscriptPage = new(Default: 100, Max: 1000);

    public static RouteGroupBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/conversations", "Conversations");

        api.MapGet("/", ListConversations)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .Check<ConversationFilter>(filter => filter.Validate())
            .WithSummary("Sessions of a workspace with filters, full-text search (q, ranked, with highlighted snippets) and keyset paging");
        api.MapGet("/{id:guid}", GetConversation)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .WithSummary("One session: metadata, counters, tags and their evidence, tokens and cost by model, parent and sub-agents, files touched and plans");
        api.MapGet("/{id:guid}/messages", GetTranscript)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckRange("limit", TranscriptPage)
            .WithSummary("The conversation's events in sequence order (messages, thinking, tool calls with their results, errors, metadata), paged by sequence");
        return api;
    }

    public static async Task<Results<Ok<ConversationPage>, ProblemHttpResult>> ListConversations(
        [AsParameters] WorkspaceScope workspace,
        [AsParameters] ConversationFilter filter,
        QueryDbContext db,
        PricedTokenTotals tokens,
        RequestAccess access,
        SessionActivity activity,
        CancellationToken cancellationToken)
    {
        var rows = await ConversationQueries.ListAsync(db, workspace.Id, filter, access, activity.ActiveSince, cancellationToken);
        var size = filter.PageSize;
        var page = rows.Take(size).ToList();
        var next = rows.Count > size ? ListCursor.Format(page[^1], filter.Ordering) : null;
        var totals = await tokens.QueryAsync(db, "u.conversation_id::text", "u.conversation_id = ANY(@ids)",
            [new("ids", page.Select(c => c.Id).ToArray())], cancellationToken);
        return TypedResults.Ok(new ConversationPage(page.Select(c => c.WithTotals(totals.GetValueOrDefault(c.Id.ToString()))).ToList(), next));
    }

    public static async Task<Results<Ok<ConversationDetail>, ProblemHttpResult>> GetConversation(
        Guid id,
        [AsParameters] WorkspaceScope workspace,
        QueryDbContext db,
        PricedTokenTotals tokens,
        SessionActivity activity,
        CancellationToken cancellationToken)
    {
        var summary = await ConversationQueries.FindAsync(db, workspace.Id, id, activity.ActiveSince, cancellationToken);
        if (summary is null)
        {
            return ConversationNotFound(id);
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
        var plans = await PlanQueries.OfConversation(db, id).ToListAsync(cancellationToken);
        var evidence = await ConversationQueries.EvidenceAsync(db, id, cancellationToken);
        var llm = await LlmQueries.InsightAsync(db, id, cancellationToken);
        return TypedResults.Ok(new ConversationDetail(
            summary.WithTotals(sum), conversation.WorkingDirectory, conversation.Hostname, byModel, parent, children, files, plans, evidence, llm));
    }

    public static async Task<Results<Ok<TranscriptPage>, ProblemHttpResult>> GetTranscript(
        Guid id,
        [AsParameters] WorkspaceScope workspace,
        [FromQuery(Name = "after")] long? after,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "include_raw")] bool? includeRaw,
        QueryDbContext db,
        RequestAccess access,
        CancellationToken cancellationToken)
    {
        // Under the own-transcripts rule another person's transcript is as unknown as a missing one.
        if (!await ConversationQueries.ExistsAsync(db, workspace.Id, id, access.TranscriptsOnlyOf, cancellationToken))
        {
            return ConversationNotFound(id);
        }

        var size = TranscriptPage.Or(limit);
        var entries = await ConversationQueries.TranscriptAsync(db, id, after ?? 0, size + 1, includeRaw ?? false, cancellationToken);
        var items = entries.Take(size).ToList();
        return TypedResults.Ok(new TranscriptPage(id, items, entries.Count > size ? items[^1].Sequence : null));
    }

    private static ProblemHttpResult ConversationNotFound(Guid id) => ApiProblems.NotInWorkspace("conversation", id);

    private static IQueryable<ConversationRef> References(IQueryable<Conversation> conversations) =>
        conversations.AsNoTracking().Select(c => new ConversationRef(c.Id, c.SessionId, c.AgentType, c.MessageCount, c.StartedAt));
}
