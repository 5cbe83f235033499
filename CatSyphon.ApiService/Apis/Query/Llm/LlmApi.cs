namespace CatSyphon.ApiService.Apis.Query.Llm;

/// <summary>
/// The optional LLM's status for a workspace. Admins change the workspace's budget through
/// <c>PATCH /api/workspaces/{id}</c> (<c>llm_monthly_token_budget</c>, audited); a session's answer is in its detail.
/// </summary>
public static class LlmApi
{
    public static RouteGroupBuilder MapLlmApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/workspaces/{id:guid}/llm", "LLM insights");
        api.MapGet("/", GetLlmStatus).RequireWorkspaceRole(WorkspaceRole.Member, WorkspaceSource.WorkspaceRoute)
            .WithSummary("Whether an LLM is configured, its model, and the workspace's token use this month against its budget");
        return api;
    }

    public static async Task<Ok<LlmStatusView>> GetLlmStatus(
        Guid id, QueryDbContext db, IOptions<LlmStatusOptions> settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LlmQueries.StatusAsync(db, id, settings.Value, cancellationToken));
}
