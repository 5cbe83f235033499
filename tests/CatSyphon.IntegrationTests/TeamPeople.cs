namespace CatSyphon.IntegrationTests;

/// <summary>A person of the test organization: their account id, email, password and an API client signed in as them.</summary>
public sealed record Person(Guid Id, string Email, string Password, string AccessToken, HttpClient Http) : IDisposable
{
    public void Dispose() => Http.Dispose();
}

/// <summary>Creates people through the API (with the admin token), gives them workspace roles and signs them in.</summary>
public static class TeamPeople
{
    public const string Password = "correct horse battery staple";

    /// <summary>A new account with <paramref name="organizationRole"/>, signed in with its password.</summary>
    public static async Task<Person> CreateAsync(CatSyphonApp app, string organizationRole = "member")
    {
        var email = $"person-{Guid.NewGuid():N}@example.com";
        using var admin = app.CreateAdminClient();
        using var created = await admin.PostAsJsonAsync("/api/users",
            new { email, display_name = "Test Person", password = Password, organization_role = organizationRole });
        var body = await CollectorClient.ReadJsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"creating a user: {(int)created.StatusCode} {body}");
        var token = await SignInAsync(app, email, Password);
        return new Person(body.GetProperty("id").GetGuid(), email, Password, token, Client(app, token));
    }

    /// <summary>A new account with <paramref name="role"/> in <paramref name="workspace"/>.</summary>
    public static async Task<Person> CreateMemberAsync(CatSyphonApp app, Guid workspace, string role)
    {
        var person = await CreateAsync(app);
        await SetRoleAsync(app, workspace, person.Id, role);
        return person;
    }

    public static async Task SetRoleAsync(CatSyphonApp app, Guid workspace, Guid userId, string role)
    {
        using var admin = app.CreateAdminClient();
        using var response = await admin.PutAsJsonAsync($"/api/workspaces/{workspace}/members/{userId}", new { role });
        Assert.True(response.IsSuccessStatusCode, $"setting a role: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<string> SignInAsync(CatSyphonApp app, string email, string password)
    {
        using var http = app.CreateHttpClient(ResourceNames.Api);
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        var body = await CollectorClient.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"signing in: {(int)response.StatusCode} {body}");
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>An API client that sends <paramref name="token"/> (an access token, a personal access token...).</summary>
    public static HttpClient Client(CatSyphonApp app, string token)
    {
        var http = app.CreateHttpClient(ResourceNames.Api);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Registers a collector as <paramref name="person"/> (it becomes theirs) and returns a client sending its key.</summary>
    public static async Task<CollectorClient> RegisterCollectorAsync(CatSyphonApp app, Person person, Guid workspace)
    {
        using var response = await person.Http.PostAsJsonAsync("/collectors",
            new { collector_type = "test", collector_version = "1.0.0", hostname = "laptop", workspace_id = workspace });
        var body = await CollectorClient.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"registering: {(int)response.StatusCode} {body}");
        var key = body.GetProperty("api_key").GetString()!;
        return new CollectorClient(Client(app, key), workspace, body.GetProperty("collector_id").GetGuid(), key);
    }

    /// <summary>
    /// A problem answer as text with <paramref name="id"/> replaced and its trace id left out: what must be the same for a
    /// hidden resource and a missing one.
    /// </summary>
    public static async Task<string> ProblemWithoutIdAsync(HttpResponseMessage response, Guid id)
    {
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        problem.Remove("trace_id");
        return $"{(int)response.StatusCode} {problem.ToJsonString().Replace(id.ToString(), "ID")}";
    }
}
