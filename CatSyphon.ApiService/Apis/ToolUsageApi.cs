using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

/// <summary>How tools are used: calls, errors and durations per tool.</summary>
public static class ToolUsageApi
{
    private const string ToolUsageSql = """
        SELECT coalesce(t.tool_name, 'unknown') AS tool_name,
               count(*) AS calls,
               count(*) FILTER (WHERE t.success = false) AS errors,
               count(*) FILTER (WHERE t.success IS NULL) AS without_result,
               coalesce(count(*) FILTER (WHERE t.success = false)::float8 / nullif(count(*) FILTER (WHERE t.success IS NOT NULL), 0), 0) AS error_rate,
               count(DISTINCT t.conversation_id) AS sessions,
               (avg(extract(epoch FROM t.completed_at - t.called_at) * 1000) FILTER (WHERE t.completed_at >= t.called_at))::float8 AS average_duration_ms
        FROM tool_calls t
        JOIN conversations c ON c.id = t.conversation_id
        WHERE c.workspace_id = @workspace
          AND (CAST(@project AS uuid) IS NULL OR c.project_id = @project)
          AND (CAST(@from AS timestamptz) IS NULL OR t.called_at >= @from)
          AND (CAST(@to AS timestamptz) IS NULL OR t.called_at < @to)
        GROUP BY 1
        ORDER BY calls DESC, tool_name
        """;

    public static RouteGroupBuilder MapToolUsageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/stats")
            .WithTags("Analytics")
            .RequireAuthorization(Policies.Admin);

        api.MapGet("/tools", GetToolUsage).WithSummary("Tool calls, errors, error rate and average duration per tool over a date range (optionally one project)");
        return api;
    }

    public static async Task<Results<Ok<ToolUsageReport>, ProblemHttpResult>> GetToolUsage(
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        [FromQuery(Name = "project_id")] Guid? projectId,
        [FromQuery(Name = "from")] DateTimeOffset? from,
        [FromQuery(Name = "to")] DateTimeOffset? to,
        CatSyphonDbContext db,
        CancellationToken cancellationToken)
    {
        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var tools = (await db.Database.GetDbConnection().QueryAsync<ToolUsage>(new CommandDefinition(ToolUsageSql,
            new { workspace = workspaceId, project = projectId, from = SqlQueries.Utc(from), to = SqlQueries.Utc(to) },
            cancellationToken: cancellationToken))).ToList();
        var calls = tools.Sum(t => t.Calls);
        var errors = tools.Sum(t => t.Errors);
        var answered = calls - tools.Sum(t => t.WithoutResult);
        return TypedResults.Ok(new ToolUsageReport(workspaceId!.Value, from, to, calls, errors, answered == 0 ? 0 : (double)errors / answered, tools));
    }
}
