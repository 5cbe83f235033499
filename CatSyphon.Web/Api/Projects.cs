namespace CatSyphon.Web.Api;

public sealed record ProjectView(Guid Id, string Name, string Directory, long Sessions, long Developers, DateTimeOffset? LastActivityAt, PricedTotals Tokens);

public sealed record DeveloperView(Guid Id, string Username, string? DisplayName, long Sessions, long Projects, DateTimeOffset? LastActivityAt, PricedTotals Tokens)
{
    public string Name => DisplayName ?? Username;
}

public sealed record FileActivity(string Path, long Touches, long Sessions, long LinesAdded, long LinesDeleted, string[] ChangeKinds, DateTimeOffset? LastTouchedAt);

public sealed record ProjectFiles(Guid ProjectId, List<FileActivity> Files);

/// <summary>/api/projects and /api/developers.</summary>
public static class ProjectsApi
{
    public static Task<List<ProjectView>> ListProjectsAsync(this CatSyphonApi api, Guid workspaceId, CancellationToken cancellationToken = default) =>
        api.GetAsync<List<ProjectView>>($"/api/projects{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    public static Task<ProjectView> GetProjectAsync(this CatSyphonApi api, Guid workspaceId, Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<ProjectView>($"/api/projects/{id}{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    public static Task<ProjectFiles> GetProjectFilesAsync(this CatSyphonApi api, ActivityScope scope, int limit, CancellationToken cancellationToken = default) =>
        api.GetAsync<ProjectFiles>($"/api/projects/{scope.ProjectId}/files{scope.ToQuery().Add("limit", limit)}", cancellationToken);

    public static Task<List<DeveloperView>> ListDevelopersAsync(this CatSyphonApi api, Guid workspaceId, CancellationToken cancellationToken = default) =>
        api.GetAsync<List<DeveloperView>>($"/api/developers{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);
}
