using CatSyphon.Contracts;

namespace CatSyphon.IntegrationTests;

/// <summary>How a caller of the authorization matrix proves who it is.</summary>
public enum MatrixCredential
{
    None,
    CollectorKey,

    /// <summary>A person's personal access token: signing out with it ends nothing, so every cell can reuse it.</summary>
    PersonToken,
    AdminToken,
}

/// <summary>
/// A caller of the matrix and the roles the access rules read: the organization role, the role held in the workspace under
/// test, and one held in another workspace of the same organization (which must not open this one).
/// </summary>
public sealed record MatrixPrincipal(
    string Name, MatrixCredential Credential, OrganizationRole? OrganizationRole = null, WorkspaceRole? RoleHere = null, WorkspaceRole? RoleElsewhere = null)
{
    public static readonly IReadOnlyList<MatrixPrincipal> All =
    [
        new("anonymous", MatrixCredential.None),
        new("collector key", MatrixCredential.CollectorKey),
        new("viewer", MatrixCredential.PersonToken, Contracts.OrganizationRole.Member, WorkspaceRole.Viewer),
        new("member", MatrixCredential.PersonToken, Contracts.OrganizationRole.Member, WorkspaceRole.Member),
        new("admin of another workspace", MatrixCredential.PersonToken, Contracts.OrganizationRole.Member, RoleElsewhere: WorkspaceRole.Admin),
        new("workspace admin", MatrixCredential.PersonToken, Contracts.OrganizationRole.Member, WorkspaceRole.Admin),
        new("organization admin", MatrixCredential.PersonToken, Contracts.OrganizationRole.Admin),
        new("owner", MatrixCredential.PersonToken, Contracts.OrganizationRole.Owner),
        // The admin token acts as an owner of every organization, but has no account.
        new("admin token", MatrixCredential.AdminToken, Contracts.OrganizationRole.Owner),
    ];

    /// <summary>The role the rules give this caller in the workspace under test: organization owners and admins administer every workspace.</summary>
    public WorkspaceRole? EffectiveRoleHere => OrganizationRole >= Contracts.OrganizationRole.Admin ? WorkspaceRole.Admin : RoleHere;
}

/// <summary>
/// The workspace under test with something real behind every id the API takes (a conversation with its project, plan
/// and developer, collectors, members, tokens, a dead letter), a second workspace of the same organization, and a
/// credential for each <see cref="MatrixPrincipal"/>. Targets that an allowed call changes (revoked collectors, deleted
/// people, revoked tokens, replayed dead letters) are made fresh for every cell, so one caller's success never changes
/// the next caller's answer.
/// </summary>
public sealed class AuthorizationMatrixWorkspace : IAsyncDisposable
{
    private const string Password = "matrix-password-0123";

    /// <summary>Sends no credential of its own: each request carries its caller's.</summary>
    private readonly HttpClient api;
    private readonly string adminToken;
    private readonly Dictionary<MatrixPrincipal, string> credentials = [];
    private ConnectionMultiplexer? redis;
    private string sessionId = "";
    private Guid collectorId, conversationId, projectId, planId, developerId;
    private Task<string>? dataJob;

    private AuthorizationMatrixWorkspace(CatSyphonApp app)
    {
        api = app.CreateHttpClient(ResourceNames.Api);
        adminToken = app.AdminToken;
    }

    public Guid WorkspaceId { get; private set; }

    public static async Task<AuthorizationMatrixWorkspace> CreateAsync(CatSyphonApp app)
    {
        var world = new AuthorizationMatrixWorkspace(app);
        world.WorkspaceId = await CollectorClient.CreateWorkspaceAsync(app);
        var elsewhere = await CollectorClient.CreateWorkspaceAsync(app);
        world.redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync(ResourceNames.Redis));
        using var collector = await CollectorClient.RegisterAsync(app, world.WorkspaceId);
        world.collectorId = collector.CollectorId;
        await world.SeedConversationAsync(collector);
        foreach (var principal in MatrixPrincipal.All)
        {
            world.credentials[principal] = principal.Credential switch
            {
                MatrixCredential.CollectorKey => collector.Key,
                MatrixCredential.AdminToken => world.adminToken,
                MatrixCredential.PersonToken => await world.CreatePersonAsync(principal, elsewhere),
                _ => "",
            };
        }

        return world;
    }

    /// <summary>Sends the request as <paramref name="caller"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, MatrixPrincipal caller) => SendAsync(request, credentials[caller]);

    /// <summary>
    /// A real id for a path parameter, chosen by the collection it names (<c>users/{id}</c>, <c>sessions/{sessionId}</c>);
    /// null when the matrix does not know the collection, which fails the test like an undeclared access does.
    /// </summary>
    public Func<MatrixPrincipal, Task<string>>? IdSource(string path, string parameter)
    {
        var segments = path.Split('/');
        var index = Array.IndexOf(segments, $"{{{parameter}}}");
        return (index > 0 ? $"{segments[index - 1]}/{{{parameter}}}" : "") switch
        {
            // Read by the calls, or changed in ways that do not alter the next caller's answer: shared.
            "workspaces/{id}" => _ => Text(WorkspaceId),
            "collectors/{collectorId}" => _ => Text(collectorId),
            "sessions/{sessionId}" => _ => Task.FromResult(sessionId),
            "conversations/{id}" => _ => Text(conversationId),
            "projects/{id}" => _ => Text(projectId),
            "health/{projectId}" => _ => Text(projectId),
            "plans/{id}" => _ => Text(planId),
            "developers/{id}" => _ => Text(developerId),
            "data-jobs/{job_id}" => _ => dataJob ??= DataJobAsync(),
            // Revoked, disabled, deleted, replayed by an allowed call: one per cell.
            "collectors/{id}" => _ => FreshCollectorAsync(),
            "users/{id}" => _ => FreshUserAsync(),
            "members/{user_id}" => _ => FreshMemberAsync(),
            "tokens/{id}" => FreshTokenAsync,
            "dead-letters/{id}" => _ => FreshDeadLetterAsync(),
            "redaction-rules/{rule_id}" => _ => FreshRedactionRuleAsync(),
            _ => null,
        };
    }

    public async ValueTask DisposeAsync()
    {
        api.Dispose();
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

    /// <summary>One session over the collector protocol, persisted: a conversation with a project, a developer and a two-version plan.</summary>
    private async Task SeedConversationAsync(CollectorClient collector)
    {
        sessionId = $"matrix-{Guid.NewGuid():N}";
        await collector.SendAcceptedAsync(sessionId,
        [
            Event("session_start", 1, new { agent_type = "claude-code", working_directory = "/home/dev/matrix", developer = "matrix-dev" }),
            CollectorClient.Message(2, sequence: 2),
            Event("session_end", 3, new { outcome = "success", plans = new[] { new { identifier = "matrix-plan", versions = new[] { "1. Read", "1. Read\n2. Check" } } } }),
        ]);
        await collector.WaitForPersistedAsync(sessionId, 3);
        conversationId = await SingleIdAsync($"/api/conversations?workspace_id={WorkspaceId}", "items");
        projectId = await SingleIdAsync($"/api/projects?workspace_id={WorkspaceId}");
        planId = await SingleIdAsync($"/api/plans?workspace_id={WorkspaceId}");
        developerId = await SingleIdAsync($"/api/developers?workspace_id={WorkspaceId}");
    }

    /// <summary>An account with the principal's roles, signed in once (sign-ins are throttled), holding a personal access token.</summary>
    private async Task<string> CreatePersonAsync(MatrixPrincipal principal, Guid elsewhere)
    {
        var email = $"matrix-{Guid.NewGuid():N}@example.com";
        var user = await PostAsync("/api/users",
            new { email, display_name = principal.Name, password = Password, organization_role = ApiJson.Name(principal.OrganizationRole!.Value) });
        var userId = user.GetProperty("id").GetGuid();
        if (principal.RoleHere is { } here)
        {
            await SetRoleAsync(WorkspaceId, userId, here);
        }

        if (principal.RoleElsewhere is { } there)
        {
            await SetRoleAsync(elsewhere, userId, there);
        }

        var session = await PostAsync("/api/auth/login", new { email, password = Password }, bearer: "");
        var token = await PostAsync("/api/me/tokens", new { name = "matrix" }, bearer: session.GetProperty("access_token").GetString());
        return token.GetProperty("token").GetString()!;
    }

    private async Task SetRoleAsync(Guid workspace, Guid userId, WorkspaceRole role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/workspaces/{workspace}/members/{userId}")
        {
            Content = JsonContent.Create(new { role = ApiJson.Name(role) }),
        };
        using var response = await SendAsync(request, adminToken);
        await EnsureSuccessAsync(response);
    }

    /// <summary>An erasure of a session never sent (it removes nothing the other cells read), created once.</summary>
    private async Task<string> DataJobAsync() =>
        (await PostAsync($"/api/workspaces/{WorkspaceId}/erase/session", new { session_id = $"matrix-never-sent-{Guid.NewGuid():N}" }))
        .GetProperty("id").GetString()!;

    private async Task<string> FreshCollectorAsync() =>
        (await PostAsync("/collectors", new { collector_type = "matrix", collector_version = "1.0.0", hostname = "matrix-host", workspace_id = WorkspaceId }))
        .GetProperty("collector_id").GetString()!;

    /// <summary>A person of the organization without a password (no sign-in needed) and without any role.</summary>
    private async Task<string> FreshUserAsync() =>
        (await PostAsync("/api/users", new { email = $"matrix-target-{Guid.NewGuid():N}@example.com", display_name = "Target" }))
        .GetProperty("id").GetString()!;

    private async Task<string> FreshMemberAsync()
    {
        var userId = await FreshUserAsync();
        await SetRoleAsync(WorkspaceId, Guid.Parse(userId), WorkspaceRole.Viewer);
        return userId;
    }

    private async Task<string> FreshRedactionRuleAsync() =>
        (await PostAsync($"/api/workspaces/{WorkspaceId}/redaction-rules", new { kind = "allow", value = $"matrix-{Guid.NewGuid():N}" }))
        .GetProperty("id").GetString()!;

    /// <summary>A new token of the caller's own, or of some person when the caller has no account: a real token either way.</summary>
    private async Task<string> FreshTokenAsync(MatrixPrincipal caller)
    {
        var holder = caller.Credential == MatrixCredential.PersonToken ? caller : MatrixPrincipal.All.First(p => p.Credential == MatrixCredential.PersonToken);
        return (await PostAsync("/api/me/tokens", new { name = "matrix-target" }, bearer: credentials[holder])).GetProperty("id").GetString()!;
    }

    /// <summary>A dead letter of the workspace as the worker writes one, whose single message persists cleanly when it is replayed.</summary>
    private async Task<string> FreshDeadLetterAsync()
    {
        var session = $"matrix-dead-{Guid.NewGuid():N}";
        var conversation = Guid.CreateVersion7();
        var received = DateTimeOffset.UtcNow;
        var batch = new BufferedBatch
        {
            Kind = BufferedBatchKind.Events,
            WorkspaceId = WorkspaceId,
            CollectorId = collectorId,
            SessionId = session,
            ConversationId = conversation,
            ReceivedAt = received,
            Job = new BufferedJob(Guid.CreateVersion7(), WorkspaceId, collectorId, session, conversation, 1, 1, 0, "accepted", 202, null, received, 1),
            Events = [new BufferedEvent("message", 1, "matrix-dead-1", received, null, """{"author_role":"human","message_type":"prompt","content":"replayed"}""")],
        };
        return (await redis!.GetDatabase().StreamAddAsync(IngestionRedisKeys.DeadLetters,
        [
            new NameValueEntry(IngestionRedisKeys.PayloadField, BufferedBatchSerializer.Serialize(batch)),
            new NameValueEntry(IngestionRedisKeys.ErrorField, "simulated failure"),
            new NameValueEntry(IngestionRedisKeys.SourceField, (string)IngestionRedisKeys.Shard(IngestionRedisKeys.ShardOf(WorkspaceId, session))!),
        ])).ToString();
    }

    private async Task<Guid> SingleIdAsync(string path, string? itemsProperty = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, adminToken);
        var body = await EnsureSuccessAsync(response);
        var items = itemsProperty is null ? body : body.GetProperty(itemsProperty);
        Assert.True(items.GetArrayLength() == 1, $"{path} lists {items.GetArrayLength()} items, not the one seeded: {body}");
        return items[0].GetProperty("id").GetGuid();
    }

    /// <summary>POSTs as the admin token, or as <paramref name="bearer"/> when given ("" for nobody); the answer must be a success.</summary>
    private async Task<JsonElement> PostAsync(string path, object body, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        using var response = await SendAsync(request, bearer ?? adminToken);
        return await EnsureSuccessAsync(response);
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string credential)
    {
        if (credential.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return api.SendAsync(request);
    }

    private static async Task<JsonElement> EnsureSuccessAsync(HttpResponseMessage response)
    {
        var body = await CollectorClient.ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode,
            $"setting up the matrix: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static object Event(string type, long sequence, object data) => new
    {
        type,
        emitted_at = DateTimeOffset.Parse("2026-11-01T10:00:00Z").AddSeconds(sequence).ToString("O"),
        sequence,
        data,
    };

    private static Task<string> Text(Guid id) => Task.FromResult(id.ToString());
}
