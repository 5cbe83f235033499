namespace CatSyphon.Web.Api;

public sealed record Workspace(Guid Id, string Name, string Slug, string CollectorRegistration, DateTimeOffset CreatedAt);

public sealed record EnrollmentToken(Guid Id, string Token, string Prefix, DateTimeOffset ExpiresAt);

/// <summary>Collector registration modes of a workspace, as the API names them.</summary>
public static class CollectorRegistrationModes
{
    public const string Token = "token";
    public const string Open = "open";
}

/// <summary>/api/workspaces: the workspaces, and what lets collectors join them.</summary>
public static class WorkspacesApi
{
    public static Task<List<Workspace>> ListWorkspacesAsync(this CatSyphonApi api, CancellationToken cancellationToken = default) =>
        api.GetAsync<List<Workspace>>("/api/workspaces", cancellationToken);

    public static Task<Workspace> GetWorkspaceAsync(this CatSyphonApi api, Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<Workspace>($"/api/workspaces/{id}", cancellationToken);

    public static Task<Workspace> CreateWorkspaceAsync(this CatSyphonApi api, string name, string slug, CancellationToken cancellationToken = default) =>
        api.PostAsync<Workspace>("/api/workspaces", new { name, slug }, cancellationToken);

    public static Task<Workspace> SetCollectorRegistrationAsync(this CatSyphonApi api, Guid id, string mode, CancellationToken cancellationToken = default) =>
        api.PatchAsync<Workspace>($"/api/workspaces/{id}", new { collector_registration = mode }, cancellationToken);

    public static Task<EnrollmentToken> CreateEnrollmentTokenAsync(this CatSyphonApi api, Guid workspaceId, int expiresInHours, CancellationToken cancellationToken = default) =>
        api.PostAsync<EnrollmentToken>($"/api/workspaces/{workspaceId}/enrollment-tokens", new { expires_in_hours = expiresInHours }, cancellationToken);
}
