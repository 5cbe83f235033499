namespace CatSyphon.Web.Api;

/// <summary>/api/workspaces: the workspaces, and what lets collectors join them.</summary>
public static class WorkspacesClient
{
    public static Task<IReadOnlyList<WorkspaceResponse>> ListWorkspacesAsync(this CatSyphonApi api, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<WorkspaceResponse>>("/api/workspaces", cancellationToken);

    public static Task<WorkspaceResponse> GetWorkspaceAsync(this CatSyphonApi api, Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<WorkspaceResponse>($"/api/workspaces/{id}", cancellationToken);

    public static Task<WorkspaceResponse> CreateWorkspaceAsync(this CatSyphonApi api, string name, string slug, CancellationToken cancellationToken = default) =>
        api.PostAsync<WorkspaceResponse>("/api/workspaces", new CreateWorkspaceRequest(name, slug, OrganizationId: null, CollectorRegistration: null), cancellationToken);

    public static Task<WorkspaceResponse> SetCollectorRegistrationAsync(this CatSyphonApi api, Guid id, CollectorRegistration mode, CancellationToken cancellationToken = default) =>
        api.PatchAsync<WorkspaceResponse>($"/api/workspaces/{id}", new UpdateWorkspaceRequest(Name: null, mode), cancellationToken);

    /// <param name="personal">Collectors registered with the token belong to the signed-in person (a member's always do).</param>
    public static Task<EnrollmentTokenResponse> CreateEnrollmentTokenAsync(this CatSyphonApi api, Guid workspaceId, int expiresInHours, bool personal = false, CancellationToken cancellationToken = default) =>
        api.PostAsync<EnrollmentTokenResponse>($"/api/workspaces/{workspaceId}/enrollment-tokens", new CreateEnrollmentTokenRequest(expiresInHours, personal), cancellationToken);
}
