using CatSyphon.ApiService.Apis.Query.Conversations;
using Dapper;

namespace CatSyphon.ApiService.Apis.Export;

/// <summary>
/// Which sessions an export holds, as a condition on a conversation <c>c</c> with its parameters: every session of a
/// workspace, or a person's own sessions (from their collectors or developer identities linked to them, the same rule
/// as "my sessions" and the own-transcripts visibility) in the workspaces they can open.
/// </summary>
internal sealed record ExportScope(string Name, string Condition, object Parameters, ExportWorkspace? Workspace, ExportPerson? Person,
    IReadOnlyList<ExportWorkspace> Workspaces)
{
    public const string WorkspaceName = "workspace";
    public const string PersonName = "person";

    public bool IsWorkspace => Workspace is not null;

    public static ExportScope OfWorkspace(ExportWorkspace workspace) =>
        new(WorkspaceName, "c.workspace_id = @workspace", new { workspace = workspace.Id }, workspace, null, [workspace]);

    public static ExportScope OfPerson(ExportPerson person, IReadOnlyList<ExportWorkspace> workspaces) =>
        new(PersonName, $"c.workspace_id = ANY(@workspaces) AND {ConversationQueries.OwnedSql}",
            new { workspaces = workspaces.Select(w => w.Id).ToArray(), owner = person.Id }, null, person, workspaces);

    /// <summary>The scope's parameters and <paramref name="more"/>, for a query that adds its own.</summary>
    public DynamicParameters With(object more)
    {
        var parameters = new DynamicParameters(Parameters);
        parameters.AddDynamicParams(more);
        return parameters;
    }
}
