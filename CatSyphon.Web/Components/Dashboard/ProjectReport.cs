using CatSyphon.Web.Api;

namespace CatSyphon.Web.Components.Dashboard;

/// <summary>What a project page shows for one range, fetched side by side.</summary>
public sealed record ProjectReport(ActivityReport Days, ActivityReport Developers, ToolUsageReport Tools, ProjectFiles Files)
{
    private const int TopFiles = 50;

    public static async Task<ProjectReport> LoadAsync(CatSyphonApi api, ActivityScope scope, CancellationToken cancellationToken = default)
    {
        var days = api.GetActivityAsync(scope, "day", cancellationToken);
        var developers = api.GetActivityAsync(scope, "developer", cancellationToken);
        var tools = api.GetToolUsageAsync(scope, cancellationToken);
        var files = api.GetProjectFilesAsync(scope, TopFiles, cancellationToken);
        await Task.WhenAll(days, developers, tools, files);
        return new ProjectReport(await days, await developers, await tools, await files);
    }
}
