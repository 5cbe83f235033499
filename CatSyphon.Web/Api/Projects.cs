namespace CatSyphon.Web.Api;

/// <summary>/api/projects and /api/developers.</summary>
public static class ProjectsClient
{
    public static Task<IReadOnlyList<ProjectView>> ListProjectsAsync(this CatSyphonApi api, Guid workspaceId, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<ProjectView>>($"/api/projects{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    public static Task<ProjectView> GetProjectAsync(this CatSyphonApi api, Guid workspaceId, Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<ProjectView>($"/api/projects/{id}{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    public static Task<ProjectFiles> GetProjectFilesAsync(this CatSyphonApi api, ActivityScope scope, int limit, CancellationToken cancellationToken = default) =>
        api.GetAsync<ProjectFiles>($"/api/projects/{scope.ProjectId}/files{scope.ToQuery().Add("limit", limit)}", cancellationToken);

    public static Task<IReadOnlyList<DeveloperView>> ListDevelopersAsync(this CatSyphonApi api, Guid workspaceId, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<DeveloperView>>($"/api/developers{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);
}
