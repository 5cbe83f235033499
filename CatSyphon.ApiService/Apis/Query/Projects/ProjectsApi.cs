namespace CatSyphon.ApiService.Apis.Query.Projects;

/// <summary>Projects of a workspace with their sessions, last activity, tokens and cost, and the files the sessions changed most.</summary>
public static class ProjectsApi
{
    private static readonly OptionalCount FileLimit = new(Default: 50, Max: 1000);

    public static RouteGroupBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/projects", "Projects");

        api.MapGet("/", ListProjects).RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("Projects of a workspace with session and developer counts, last activity, tokens and cost, most recently active first");
        api.MapGet("/{id:guid}", GetProject).RequireWorkspaceRole(WorkspaceRole.Viewer).WithSummary("One project with its session and developer counts, last activity, tokens and cost");
        api.MapGet("/{id:guid}/files", GetProjectFiles)
            .RequireWorkspaceRole(WorkspaceRole.Viewer)
            .CheckRange("limit", FileLimit)
            .WithSummary("Files the project's sessions touched, most changed first (lines added + deleted), with sessions and change kinds");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<ProjectView>>, ProblemHttpResult>> ListProjects(
        [AsParameters] WorkspaceScope workspace, QueryDbContext db, PricedTokenTotals tokens, CancellationToken cancellationToken)
    {
        IReadOnlyList<ProjectView> projects = await ProjectQueries.ProjectsAsync(db, tokens, workspace.Id, null, cancellationToken);
        return TypedResults.Ok(projects);
    }

    public static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> GetProject(
        Guid id, [AsParameters] WorkspaceScope workspace, QueryDbContext db, PricedTokenTotals tokens, CancellationToken cancellationToken)
    {
        var project = (await ProjectQueries.ProjectsAsync(db, tokens, workspace.Id, id, cancellationToken)).SingleOrDefault();
        return project is null ? ProjectNotFound(id) : TypedResults.Ok(project);
    }

    public static async Task<Results<Ok<ProjectFiles>, ProblemHttpResult>> GetProjectFiles(
        Guid id,
        [AsParameters] WorkspaceScope workspace,
        [AsParameters] TimeRange range,
        [FromQuery(Name = "limit")] int? limit,
        QueryDbContext db,
        CancellationToken cancellationToken)
    {
        if (!await ProjectQueries.ExistsAsync(db, workspace.Id, id, cancellationToken))
        {
            return ProjectNotFound(id);
        }

        var files = await ProjectQueries.FilesAsync(db, workspace.Id, id, range, FileLimit.Or(limit), cancellationToken);
        return TypedResults.Ok(new ProjectFiles(id, range.From, range.To, files));
    }

    private static ProblemHttpResult ProjectNotFound(Guid id) => ApiProblems.NotInWorkspace("project", id);
}
