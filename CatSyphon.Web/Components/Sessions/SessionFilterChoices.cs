using CatSyphon.Web.Api;

namespace CatSyphon.Web.Components.Sessions;

/// <summary>The values the archive's filters offer, as found in the workspace.</summary>
public sealed record SessionFilterChoices(
    IReadOnlyList<ProjectView> Projects, IReadOnlyList<DeveloperView> Developers, IReadOnlyList<string> Agents,
    IReadOnlyList<string> Models)
{
    public static readonly SessionFilterChoices None = new([], [], [], []);

    public static async Task<SessionFilterChoices> LoadAsync(CatSyphonApi api, Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var everything = new ActivityScope(workspaceId, null, null);
        var projects = api.ListProjectsAsync(workspaceId, cancellationToken);
        var developers = api.ListDevelopersAsync(workspaceId, cancellationToken);
        var agents = api.GetActivityAsync(everything, "agent_type", cancellationToken);
        var models = api.GetActivityAsync(everything, "model", cancellationToken);
        await Task.WhenAll(projects, developers, agents, models);
        return new SessionFilterChoices(
            (await projects).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList(),
            (await developers).OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ToList(),
            Keys(await agents),
            Keys(await models));
    }

    private static List<string> Keys(ActivityReport report) =>
        report.Groups.Select(g => g.Key).OfType<string>().Order(StringComparer.Ordinal).ToList();
}
