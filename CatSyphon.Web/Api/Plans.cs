namespace CatSyphon.Web.Api;

/// <summary>/api/plans: a plan's versions and the difference between two of them.</summary>
public static class PlansClient
{
    public static Task<PlanDetail> GetPlanAsync(this CatSyphonApi api, Guid workspaceId, Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<PlanDetail>($"/api/plans/{id}{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    public static Task<PlanDiff> DiffPlanAsync(this CatSyphonApi api, Guid workspaceId, Guid id, int from, int to, CancellationToken cancellationToken = default) =>
        api.GetAsync<PlanDiff>($"/api/plans/{id}/diff{new ApiQuery().Add("workspace_id", workspaceId).Add("from", from).Add("to", to)}", cancellationToken);
}
