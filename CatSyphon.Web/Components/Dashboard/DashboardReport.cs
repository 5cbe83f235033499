using CatSyphon.Web.Api;

namespace CatSyphon.Web.Components.Dashboard;

/// <summary>Everything the dashboard shows for one range, fetched side by side.</summary>
public sealed record DashboardReport(
    ActivityReport Days, ActivityReport Models, ActivityReport Projects, ActivityReport Developers, ActivityReport Agents, ToolUsageReport Tools,
    IngestionStats Ingestion, InsightReport Insights, WorkspaceTelemetry Telemetry)
{
    private const int IngestionWindowMinutes = 60;

    public static async Task<DashboardReport> LoadAsync(CatSyphonApi api, ActivityScope scope, CancellationToken cancellationToken = default)
    {
        var days = api.GetActivityAsync(scope, "day", cancellationToken);
        var models = api.GetActivityAsync(scope, "model", cancellationToken);
        var projects = api.GetActivityAsync(scope, "project", cancellationToken);
        var developers = api.GetActivityAsync(scope, "developer", cancellationToken);
        var agents = api.GetActivityAsync(scope, "agent_type", cancellationToken);
        var tools = api.GetToolUsageAsync(scope, cancellationToken);
        var ingestion = api.GetIngestionStatsAsync(scope.WorkspaceId, IngestionWindowMinutes, cancellationToken);
        var insights = api.GetInsightsAsync(scope, cancellationToken);
        var telemetry = api.GetWorkspaceTelemetryAsync(scope, cancellationToken);
        await Task.WhenAll(days, models, projects, developers, agents, tools, ingestion, insights, telemetry);
        return new DashboardReport(await days, await models, await projects, await developers, await agents, await tools, await ingestion, await insights, await telemetry);
    }
}
