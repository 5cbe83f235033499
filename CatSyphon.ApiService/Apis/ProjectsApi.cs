using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Pricing;
using CatSyphon.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

/// <summary>Projects and developers of a workspace with their sessions, last activity, tokens and cost.</summary>
public static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/projects")
            .WithTags("Projects")
            .RequireAuthorization(Policies.Admin);
        projects.MapGet("/", ListProjects).WithSummary("Projects of a workspace with session and developer counts, last activity, tokens and cost, most recently active first");
        projects.MapGet("/{id:guid}", GetProject).WithSummary("One project with its session and developer counts, last activity, tokens and cost");

        var developers = app.MapGroup("/api/developers")
            .WithTags("Developers")
            .RequireAuthorization(Policies.Admin);
        developers.MapGet("/", ListDevelopers).WithSummary("Developers of a workspace with session and project counts, last activity, tokens and cost, most recently active first");
        return projects;
    }

    public static async Task<Results<Ok<IReadOnlyList<ProjectView>>, ProblemHttpResult>> ListProjects(
        [FromQuery(Name = "workspace_id")] Guid? workspaceId, CatSyphonDbContext db, PricedTokenTotals tokens, CancellationToken cancellationToken)
    {
        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        IReadOnlyList<ProjectView> projects = await ProjectsAsync(db, tokens, workspaceId!.Value, null, cancellationToken);
        return TypedResults.Ok(projects);
    }

    public static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> GetProject(
        Guid id, [FromQuery(Name = "workspace_id")] Guid? workspaceId, CatSyphonDbContext db, PricedTokenTotals tokens, CancellationToken cancellationToken)
    {
        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var project = (await ProjectsAsync(db, tokens, workspaceId!.Value, id, cancellationToken)).SingleOrDefault();
        return project is null ? ApiProblems.NotFound($"No project {id} in this workspace.") : TypedResults.Ok(project);
    }

    public static async Task<Results<Ok<IReadOnlyList<DeveloperView>>, ProblemHttpResult>> ListDevelopers(
        [FromQuery(Name = "workspace_id")] Guid? workspaceId, CatSyphonDbContext db, PricedTokenTotals tokens, CancellationToken cancellationToken)
    {
        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var rows = await db.Database.GetDbConnection().QueryAsync<ActivityRow>(new CommandDefinition("""
            SELECT d.id, d.username AS name, d.display_name AS detail, count(c.id) AS sessions,
                   count(DISTINCT c.project_id) AS others, max(c.last_event_at) AS last_activity_at
            FROM developers d LEFT JOIN conversations c ON c.developer_id = d.id
            WHERE d.workspace_id = @workspace
            GROUP BY d.id
            ORDER BY max(c.last_event_at) DESC NULLS LAST, d.username
            """, new { workspace = workspaceId }, cancellationToken: cancellationToken));
        var totals = await tokens.QueryAsync(db, "c.developer_id::text", "u.workspace_id = @workspace", [new("workspace", workspaceId!.Value)], cancellationToken);
        IReadOnlyList<DeveloperView> developers = rows.Select(r => new DeveloperView(r.Id, r.Name, r.Detail, r.Sessions, r.Others, r.LastActivityAt,
            totals.GetValueOrDefault(r.Id.ToString()) ?? PricedTotals.None)).ToList();
        return TypedResults.Ok(developers);
    }

    private static async Task<List<ProjectView>> ProjectsAsync(CatSyphonDbContext db, PricedTokenTotals tokens, Guid workspace, Guid? project, CancellationToken cancellationToken)
    {
        var rows = await db.Database.GetDbConnection().QueryAsync<ActivityRow>(new CommandDefinition("""
            SELECT p.id, p.name, p.directory AS detail, count(c.id) AS sessions,
                   count(DISTINCT c.developer_id) AS others, max(c.last_event_at) AS last_activity_at
            FROM projects p LEFT JOIN conversations c ON c.project_id = p.id
            WHERE p.workspace_id = @workspace AND (CAST(@project AS uuid) IS NULL OR p.id = @project)
            GROUP BY p.id
            ORDER BY max(c.last_event_at) DESC NULLS LAST, p.name
            """, new { workspace, project }, cancellationToken: cancellationToken));
        var totals = project is { } one
            ? await tokens.QueryAsync(db, "c.project_id::text", "u.workspace_id = @workspace AND c.project_id = @project",
                [new("workspace", workspace), new("project", one)], cancellationToken)
            : await tokens.QueryAsync(db, "c.project_id::text", "u.workspace_id = @workspace", [new("workspace", workspace)], cancellationToken);
        return rows.Select(r => new ProjectView(r.Id, r.Name, r.Detail ?? "", r.Sessions, r.Others, r.LastActivityAt,
            totals.GetValueOrDefault(r.Id.ToString()) ?? PricedTotals.None)).ToList();
    }

    /// <summary>A project (detail = directory, others = developers) or a developer (detail = display name, others = projects).</summary>
    private sealed class ActivityRow
    {
        public Guid Id { get; init; }
        public required string Name { get; init; }
        public string? Detail { get; init; }
        public long Sessions { get; init; }
        public long Others { get; init; }
        public DateTimeOffset? LastActivityAt { get; init; }
    }
}
