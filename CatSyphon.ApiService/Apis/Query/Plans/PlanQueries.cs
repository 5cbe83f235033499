namespace CatSyphon.ApiService.Apis.Query.Plans;

/// <summary>Plans as the query API lists them: of a workspace, or of one conversation.</summary>
internal static class PlanQueries
{
    /// <summary>
    /// The plans of a workspace the caller may read: under the own-transcripts rule (<see cref="RequestAccess.TranscriptsOnlyOf"/>)
    /// only those of their own sessions, since a plan is part of its session's transcript.
    /// </summary>
    public static IQueryable<Plan> Readable(QueryDbContext db, Guid workspaceId, RequestAccess access)
    {
        var plans = db.Plans.AsNoTracking().Where(p => p.Conversation!.WorkspaceId == workspaceId);
        return access.TranscriptsOnlyOf is { } owner
            ? plans.Where(p => p.Conversation!.Collector!.UserId == owner || p.Conversation.Developer!.UserId == owner)
            : plans;
    }

    /// <summary>A conversation's plans in the order they were written.</summary>
    public static IQueryable<PlanSummary> OfConversation(QueryDbContext db, Guid conversationId) =>
        Summaries(db.Plans.AsNoTracking().Where(p => p.ConversationId == conversationId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id));

    public static IQueryable<PlanSummary> Summaries(IQueryable<Plan> plans) =>
        plans.Select(p => new PlanSummary(
            p.Id, p.ConversationId, p.Conversation!.SessionId, p.Conversation.Project == null ? null : p.Conversation.Project.Name,
            p.Identifier, p.Title, p.Status, p.Versions.Count, p.CreatedAt, p.UpdatedAt));

    public static Task<List<PlanVersionView>> VersionsAsync(QueryDbContext db, Guid planId, CancellationToken cancellationToken) =>
        db.PlanVersions.AsNoTracking().Where(v => v.PlanId == planId).OrderBy(v => v.Version)
            .Select(v => new PlanVersionView(v.Version, v.Content, v.CreatedAt))
            .ToListAsync(cancellationToken);
}
