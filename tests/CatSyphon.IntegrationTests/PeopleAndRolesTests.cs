namespace CatSyphon.IntegrationTests;

/// <summary>
/// People, roles and workspace isolation through the API, as the people themselves: each signs in with a password
/// and acts with their own access token.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class PeopleAndRolesTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Accounts_need_a_valid_email_and_a_12_character_password_and_sign_in_with_it()
    {
        using var admin = App.CreateAdminClient();
        var email = $"ada-{Guid.NewGuid():N}@example.com";

        using var shortPassword = await admin.PostAsJsonAsync("/api/users", new { email, display_name = "Ada", password = "eleven char" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, shortPassword.StatusCode);
        Assert.Contains("\"password\"", await shortPassword.Content.ReadAsStringAsync());
        using var badEmail = await admin.PostAsJsonAsync("/api/users", new { email = "not an email", display_name = "Ada", password = TeamPeople.Password });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badEmail.StatusCode);

        using var created = await admin.PostAsJsonAsync("/api/users", new { email, display_name = "Ada", password = TeamPeople.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await CollectorClient.ReadJsonAsync(created);
        Assert.Equal("member", user.GetProperty("organization_role").GetString());
        Assert.True(user.GetProperty("has_password").GetBoolean());
        Assert.False(user.TryGetProperty("password_hash", out _));

        // The same address in other letters is the same account.
        using var duplicate = await admin.PostAsJsonAsync("/api/users", new { email = email.ToUpperInvariant(), display_name = "Ada again" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        using var anonymous = App.CreateHttpClient(ResourceNames.Api);
        using var wrong = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = TeamPeople.Password + "!" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var unknown = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "nobody-" + email, password = TeamPeople.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal((await wrong.Content.ReadAsStringAsync()).Length, (await unknown.Content.ReadAsStringAsync()).Length);

        using var right = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = email.ToUpperInvariant(), password = TeamPeople.Password });
        var session = await CollectorClient.ReadJsonAsync(right);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var token = session.GetProperty("access_token").GetString()!;
        Assert.StartsWith("cs_at_", token);
        Assert.InRange(session.GetProperty("expires_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(7), DateTimeOffset.UtcNow.AddHours(9));

        using var ada = TeamPeople.Client(App, token);
        var me = await ada.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(user.GetProperty("id").GetGuid(), me.GetProperty("id").GetGuid());
        Assert.Equal("session", me.GetProperty("credential").GetString());
    }

    [Fact]
    public async Task A_person_sees_only_their_workspaces_and_another_team_s_workspace_answers_like_an_unknown_one()
    {
        var teamA = await CollectorClient.CreateWorkspaceAsync(App);
        var teamB = await CollectorClient.CreateWorkspaceAsync(App);
        using var member = await TeamPeople.CreateMemberAsync(App, teamA, "member");
        using var viewer = await TeamPeople.CreateMemberAsync(App, teamA, "viewer");
        using var orgAdmin = await TeamPeople.CreateAsync(App, "admin");

        var listed = await member.Http.GetFromJsonAsync<JsonElement>("/api/workspaces");
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal(teamA, only.GetProperty("id").GetGuid());
        Assert.Equal("member", only.GetProperty("role").GetString());
        var administered = (await orgAdmin.Http.GetFromJsonAsync<JsonElement>("/api/workspaces")).EnumerateArray()
            .Where(w => w.GetProperty("id").GetGuid() == teamA || w.GetProperty("id").GetGuid() == teamB).ToList();
        Assert.Equal(2, administered.Count);
        Assert.All(administered, w => Assert.Equal("admin", w.GetProperty("role").GetString()));

        var unknown = Guid.NewGuid();
        foreach (var path in new[] { "/api/workspaces/{0}", "/api/conversations?workspace_id={0}", "/api/stats/activity?workspace_id={0}", "/api/workspaces/{0}/members" })
        {
            using var other = await member.Http.GetAsync(string.Format(path, teamB));
            using var missing = await member.Http.GetAsync(string.Format(path, unknown));
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal(await TeamPeople.ProblemWithoutIdAsync(missing, unknown), await TeamPeople.ProblemWithoutIdAsync(other, teamB));
        }

        using var read = await viewer.Http.GetAsync($"/api/conversations?workspace_id={teamA}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var rename = await viewer.Http.PatchAsJsonAsync($"/api/workspaces/{teamA}", new { name = "Mine now" });
        Assert.Equal(HttpStatusCode.Forbidden, rename.StatusCode);
        using var createWorkspace = await member.Http.PostAsJsonAsync("/api/workspaces", new { name = "Shadow", slug = $"shadow-{Guid.NewGuid():N}"[..20] });
        Assert.Equal(HttpStatusCode.Forbidden, createWorkspace.StatusCode);
        using var users = await member.Http.GetAsync("/api/users");
        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
    }

    [Fact]
    public async Task Taking_a_role_away_ends_access_to_the_workspace_at_the_next_request()
    {
        var team = await CollectorClient.CreateWorkspaceAsync(App);
        using var member = await TeamPeople.CreateMemberAsync(App, team, "member");
        using var before = await member.Http.GetAsync($"/api/workspaces/{team}");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var admin = App.CreateAdminClient();
        using var removed = await admin.DeleteAsync($"/api/workspaces/{team}/members/{member.Id}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);

        using var after = await member.Http.GetAsync($"/api/workspaces/{team}");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Empty((await member.Http.GetFromJsonAsync<JsonElement>("/api/workspaces")).EnumerateArray());
    }

    [Fact]
    public async Task A_personal_access_token_is_shown_once_kept_only_as_a_hash_and_stops_when_revoked()
    {
        using var person = await TeamPeople.CreateAsync(App);
        using var created = await person.Http.PostAsJsonAsync("/api/me/tokens", new { name = "ci script" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await CollectorClient.ReadJsonAsync(created);
        var token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("cs_pat_", token);

        var listed = Assert.Single((await person.Http.GetFromJsonAsync<JsonElement>("/api/me/tokens")).EnumerateArray());
        Assert.DoesNotContain(token, listed.GetRawText());
        Assert.Equal(token[..12], listed.GetProperty("prefix").GetString());

        await using (var db = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database)))
        {
            await db.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT token_hash FROM personal_access_tokens WHERE id = @id", db);
            query.Parameters.AddWithValue("id", body.GetProperty("id").GetGuid());
            Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), (byte[])(await query.ExecuteScalarAsync())!);
        }

        using var script = TeamPeople.Client(App, token);
        var me = await script.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(person.Id, me.GetProperty("id").GetGuid());
        Assert.Equal("personal_access_token", me.GetProperty("credential").GetString());

        using var revoked = await person.Http.DeleteAsync($"/api/me/tokens/{body.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var after = await script.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_one_session_and_disabling_a_person_ends_all_of_them_and_their_tokens()
    {
        using var person = await TeamPeople.CreateAsync(App);
        using var secondSession = TeamPeople.Client(App, await TeamPeople.SignInAsync(App, person.Email, person.Password));
        using var created = await person.Http.PostAsJsonAsync("/api/me/tokens", new { name = "laptop" });
        using var pat = TeamPeople.Client(App, (await CollectorClient.ReadJsonAsync(created)).GetProperty("token").GetString()!);

        using var signedOut = await person.Http.PostAsync("/api/auth/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.Http.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await secondSession.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pat.GetAsync("/api/me")).StatusCode);

        using var admin = App.CreateAdminClient();
        using var disabled = await admin.PatchAsJsonAsync($"/api/users/{person.Id}", new { disabled = true });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secondSession.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await pat.GetAsync("/api/me")).StatusCode);
        using var anonymous = App.CreateHttpClient(ResourceNames.Api);
        using var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = person.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Only_an_owner_changes_an_owner_and_the_last_owner_stays()
    {
        using var orgAdmin = await TeamPeople.CreateAsync(App, "admin");
        using var owner = await TeamPeople.CreateAsync(App, "owner");

        using var promote = await orgAdmin.Http.PostAsJsonAsync("/api/users",
            new { email = $"o-{Guid.NewGuid():N}@example.com", display_name = "Would-be owner", organization_role = "owner" });
        Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);
        using var demoteOwner = await orgAdmin.Http.PatchAsJsonAsync($"/api/users/{owner.Id}", new { organization_role = "member" });
        Assert.Equal(HttpStatusCode.Forbidden, demoteOwner.StatusCode);

        // Every other active owner steps down; then this one is the last and cannot leave.
        var users = await owner.Http.GetFromJsonAsync<JsonElement>("/api/users");
        foreach (var other in users.EnumerateArray().Where(u => u.GetProperty("organization_role").GetString() == "owner"
                                                               && u.GetProperty("id").GetGuid() != owner.Id && !u.GetProperty("disabled").GetBoolean()))
        {
            using var stepDown = await owner.Http.PatchAsJsonAsync($"/api/users/{other.GetProperty("id").GetGuid()}", new { organization_role = "admin" });
            Assert.Equal(HttpStatusCode.OK, stepDown.StatusCode);
        }

        using var last = await owner.Http.PatchAsJsonAsync($"/api/users/{owner.Id}", new { disabled = true });
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        using var delete = await owner.Http.DeleteAsync($"/api/users/{owner.Id}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
    }
}
