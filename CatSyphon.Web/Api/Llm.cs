namespace CatSyphon.Web.Api;

/// <summary>The optional LLM: its status and this month's use for a workspace, and the workspace's budget.</summary>
public static class LlmClient
{
    public static Task<LlmStatusView> GetLlmStatusAsync(this CatSyphonApi api, Guid workspace, CancellationToken cancellationToken = default) =>
        api.GetAsync<LlmStatusView>($"/api/workspaces/{workspace}/llm", cancellationToken);

    /// <param name="tokens">Tokens per month, 0 to turn the LLM off for the workspace, or null for the server's default.</param>
    public static Task<WorkspaceResponse> SetLlmBudgetAsync(this CatSyphonApi api, Guid workspace, int? tokens, CancellationToken cancellationToken = default) =>
        api.PatchAsync<WorkspaceResponse>(
            $"/api/workspaces/{workspace}", new UpdateWorkspaceRequest(null, null, LlmMonthlyTokenBudget: tokens ?? -1), cancellationToken);
}
