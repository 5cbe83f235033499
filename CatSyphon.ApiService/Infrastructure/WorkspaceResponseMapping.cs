namespace CatSyphon.ApiService.Infrastructure;

/// <summary>The contract of a workspace from its entity (the contracts library does not know the data model).</summary>
internal static class WorkspaceResponseMapping
{
    extension(WorkspaceResponse)
    {
        public static WorkspaceResponse From(Workspace workspace, WorkspaceRole role) => new(
            workspace.Id, workspace.Name, workspace.Slug, workspace.OrganizationId, workspace.CollectorRegistration, workspace.CreatedAt, workspace.UpdatedAt,
            workspace.TranscriptVisibility, role, workspace.RetentionDays);
    }
}
