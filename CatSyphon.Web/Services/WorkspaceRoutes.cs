using System.Text.RegularExpressions;

namespace CatSyphon.Web.Services;

/// <summary>
/// Addresses of the workspace pages. The workspace is part of every address (<c>/w/{id}/...</c>), so a link shows
/// the same thing to whoever opens it.
/// </summary>
public static partial class WorkspaceRoutes
{
    public static string Dashboard(Guid workspace) => $"/w/{workspace}";

    public static string Sessions(Guid workspace) => $"/w/{workspace}/sessions";

    public static string Session(Guid workspace, Guid conversation) => $"/w/{workspace}/sessions/{conversation}";

    public static string Projects(Guid workspace) => $"/w/{workspace}/projects";

    public static string Project(Guid workspace, Guid project) => $"/w/{workspace}/projects/{project}";

    public static string Health(Guid workspace) => $"/w/{workspace}/health";

    public static string ProjectHealth(Guid workspace, Guid project) => $"/w/{workspace}/health/{project}";

    public static string Digest(Guid workspace) => $"/w/{workspace}/digest";

    public static string Collectors(Guid workspace) => $"/w/{workspace}/collectors";

    public static string Ingestion(Guid workspace) => $"/w/{workspace}/ingestion";

    public static string GetStarted(Guid workspace) => $"/w/{workspace}/get-started";

    public static string Members(Guid workspace) => $"/w/{workspace}/members";

    public static string Redaction(Guid workspace) => $"/w/{workspace}/redaction";
    public static string Settings(Guid workspace) => $"/w/{workspace}/settings";

    public static string DataJobs(Guid workspace) => $"/w/{workspace}/data-jobs";

    /// <summary>The workspace an address belongs to, if it is a workspace page.</summary>
    public static Guid? WorkspaceOf(string uri)
    {
        var match = WorkspacePath().Match(new Uri(uri, UriKind.Absolute).AbsolutePath);
        return match.Success && Guid.TryParse(match.Groups["id"].Value, out var id) ? id : null;
    }

    /// <summary>
    /// The same section in another workspace: <c>/w/A/sessions/X</c> becomes <c>/w/B/sessions</c>, since X belongs to A.
    /// </summary>
    public static string SameSectionIn(string uri, Guid workspace)
    {
        var match = WorkspacePath().Match(new Uri(uri, UriKind.Absolute).AbsolutePath);
        var section = match.Success ? match.Groups["section"].Value : "";
        return section.Length == 0 ? Dashboard(workspace) : $"/w/{workspace}/{section}";
    }

    [GeneratedRegex("^/w/(?<id>[0-9a-fA-F-]{36})(?:/(?<section>[a-z-]+))?")]
    private static partial Regex WorkspacePath();
}
