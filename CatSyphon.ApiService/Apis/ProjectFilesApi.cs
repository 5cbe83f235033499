using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

/// <summary>Which files of a project the sessions changed most.</summary>
public static class ProjectFilesApi
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 1000;

    private const string FilesSql = """
        SELECT f.path,
               count(*) AS touches,
               count(DISTINCT f.conversation_id) AS sessions,
               coalesce(sum(f.lines_added), 0) AS lines_added,
               coalesce(sum(f.lines_deleted), 0) AS lines_deleted,
               array_agg(DISTINCT f.change_kind ORDER BY f.change_kind) AS change_kinds,
               max(f.touched_at) AS last_touched_at
        FROM files_touched f
        JOIN conversations c ON c.id = f.conversation_id
        WHERE c.workspace_id = @workspace AND c.project_id = @project
          AND (CAST(@from AS timestamptz) IS NULL OR f.touched_at >= @from)
          AND (CAST(@to AS timestamptz) IS NULL OR f.touched_at < @to)
        GROUP BY f.path
        ORDER BY coalesce(sum(f.lines_added), 0) + coalesce(sum(f.lines_deleted), 0) DESC, count(*) DESC, f.path
        LIMIT @limit
        """;

    public static RouteGroupBuilder MapProjectFilesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects")
            .WithTags("Projects")
            .RequireAuthorization(Policies.Admin);

        api.MapGet("/{id:guid}/files", GetProjectFiles)
            .WithSummary("Files the project's sessions touched, most changed first (lines added + deleted), with sessions and change kinds");
        return api;
    }

    public static async Task<Results<Ok<ProjectFiles>, ProblemHttpResult>> GetProjectFiles(
        Guid id,
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        [FromQuery(Name = "from")] DateTimeOffset? from,
        [FromQuery(Name = "to")] DateTimeOffset? to,
        [FromQuery(Name = "limit")] int? limit,
        CatSyphonDbContext db,
        CancellationToken cancellationToken)
    {
        if (ApiProblems.OutOfRange("limit", limit, DefaultLimit, MaxLimit, out var size) is { } outOfRange)
        {
            return outOfRange;
        }

        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (!await db.Projects.AnyAsync(p => p.Id == id && p.WorkspaceId == workspaceId, cancellationToken))
        {
            return ApiProblems.NotFound($"No project {id} in this workspace.");
        }

        var files = (await db.Database.GetDbConnection().QueryAsync<FileActivity>(new CommandDefinition(FilesSql,
            new { workspace = workspaceId, project = id, from = SqlQueries.Utc(from), to = SqlQueries.Utc(to), limit = size },
            cancellationToken: cancellationToken))).ToList();
        return TypedResults.Ok(new ProjectFiles(id, from, to, files));
    }
}
