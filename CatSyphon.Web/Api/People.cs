namespace CatSyphon.Web.Api;

/// <summary>Sign-in, accounts, members, tokens and the audit log.</summary>
public static class PeopleClient
{
    public static Task<LoginResponse> LogInAsync(this CatSyphonApi api, string email, string password, CancellationToken cancellationToken = default) =>
        api.SendWithTokenAsync<LoginResponse>(HttpMethod.Post, "/api/auth/login", new LoginRequest(email, password), token: null, cancellationToken);

    public static Task<MeView> GetMeAsync(this CatSyphonApi api, string token, CancellationToken cancellationToken = default) =>
        api.SendWithTokenAsync<MeView>(HttpMethod.Get, "/api/me", body: null, token, cancellationToken);

    /// <summary>The first owner, created with the admin token (which is used for this call only and kept nowhere).</summary>
    public static Task<UserView> CreateOwnerAsync(this CatSyphonApi api, string adminToken, string email, string displayName, string password, CancellationToken cancellationToken = default) =>
        api.SendWithTokenAsync<UserView>(HttpMethod.Post, "/api/users", new CreateUserRequest(email, displayName, password, OrganizationRole.Owner), adminToken, cancellationToken);

    public static Task<IReadOnlyList<UserView>> ListUsersAsync(this CatSyphonApi api, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<UserView>>("/api/users", cancellationToken);

    public static Task<UserView> CreateUserAsync(this CatSyphonApi api, CreateUserRequest request, CancellationToken cancellationToken = default) =>
        api.PostAsync<UserView>("/api/users", request, cancellationToken);

    public static Task<UserView> UpdateUserAsync(this CatSyphonApi api, Guid id, UpdateUserRequest request, CancellationToken cancellationToken = default) =>
        api.PatchAsync<UserView>($"/api/users/{id}", request, cancellationToken);

    public static Task<IReadOnlyList<MemberView>> ListMembersAsync(this CatSyphonApi api, Guid workspace, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<MemberView>>($"/api/workspaces/{workspace}/members", cancellationToken);

    public static Task<MemberView> AddMemberAsync(this CatSyphonApi api, Guid workspace, string email, WorkspaceRole role, CancellationToken cancellationToken = default) =>
        api.PostAsync<MemberView>($"/api/workspaces/{workspace}/members", new AddMemberRequest(email, role), cancellationToken);

    public static Task<MemberView> SetMemberRoleAsync(this CatSyphonApi api, Guid workspace, Guid userId, WorkspaceRole role, CancellationToken cancellationToken = default) =>
        api.PutAsync<MemberView>($"/api/workspaces/{workspace}/members/{userId}", new SetMemberRequest(role), cancellationToken);

    public static Task RemoveMemberAsync(this CatSyphonApi api, Guid workspace, Guid userId, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Delete, $"/api/workspaces/{workspace}/members/{userId}", cancellationToken);

    public static Task<IReadOnlyList<TokenView>> ListMyTokensAsync(this CatSyphonApi api, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<TokenView>>("/api/me/tokens", cancellationToken);

    public static Task<CreatedTokenResponse> CreateMyTokenAsync(this CatSyphonApi api, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default) =>
        api.PostAsync<CreatedTokenResponse>("/api/me/tokens", new CreateTokenRequest(name, expiresAt), cancellationToken);

    public static Task RevokeMyTokenAsync(this CatSyphonApi api, Guid id, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Delete, $"/api/me/tokens/{id}", cancellationToken);

    public static Task<AuditPage> ListAuditAsync(this CatSyphonApi api, string? action, string? cursor, CancellationToken cancellationToken = default) =>
        api.GetAsync<AuditPage>("/api/audit" + new ApiQuery().Add("action", action).Add("cursor", cursor).Add("limit", 50), cancellationToken);
}
