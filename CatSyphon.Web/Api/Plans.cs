namespace CatSyphon.Web.Api;

public sealed record PlanSummary(
    Guid Id, Guid ConversationId, string SessionId, string? ProjectName, string Identifier, string? Title, string? Status,
    int Versions, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PlanVersion(int Version, string Content, DateTimeOffset CreatedAt);

public sealed record PlanDetail(PlanSummary Plan, List<PlanVersion> Versions);

/// <summary>One row of a side-by-side diff: <see cref="Change"/> is unchanged, added, deleted or changed.</summary>
public sealed record PlanDiffLine(string Change, int? OldNumber, string? OldText, int? NewNumber, string? NewText);

public sealed record PlanDiff(Guid PlanId, int From, int To, int Added, int Deleted, int Changed, List<PlanDiffLine> Lines);

/// <summary>/api/plans: a plan's versions and the difference between two of them.</summary>
public static class PlansApi
{
    public static Task<PlanDetail> GetPlanAsync(this CatSyphonApi api, Guid workspaceId, Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<PlanDetail>($"/api/plans/{id}{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    public static Task<PlanDiff> DiffPlanAsync(this CatSyphonApi api, Guid workspaceId, Guid id, int from, int to, CancellationToken cancellationToken = default) =>
        api.GetAsync<PlanDiff>($"/api/plans/{id}/diff{new ApiQuery().Add("workspace_id", workspaceId).Add("from", from).Add("to", to)}", cancellationToken);
}
