namespace CatSyphon.IntegrationTests;

/// <summary>Workspaces, enrollment, registration and collector keys, against the running stack.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class CollectorAdministrationTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Admin_endpoints_refuse_a_missing_or_wrong_token_with_401_problem_details()
    {
        using var anonymous = App.CreateHttpClient(ResourceNames.Api);
        using var missing = await anonymous.GetAsync("/api/workspaces");
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", App.AdminToken + "x");
        using var wrong = await anonymous.GetAsync("/api/workspaces");

        foreach (var response in new[] { missing, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_workspace_is_created_once_per_slug_in_the_default_organization()
    {
        using var admin = App.CreateAdminClient();
        var slug = NewSlug();

        using var created = await admin.PostAsJsonAsync("/api/workspaces", new { name = "Team A", slug });
        using var duplicate = await admin.PostAsJsonAsync("/api/workspaces", new { name = "Team A again", slug });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await ReadJsonAsync(created);
        Assert.Equal(slug, body.GetProperty("slug").GetString());
        Assert.Equal("token", body.GetProperty("collector_registration").GetString());
        Assert.NotEqual(Guid.Empty, body.GetProperty("organization_id").GetGuid());
        Assert.EndsWith("Z", body.GetProperty("created_at").GetString());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        using var fetched = await admin.GetAsync($"/api/workspaces/{body.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        using var unknown = await admin.GetAsync($"/api/workspaces/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Bad_workspace_requests_get_422_with_the_fields_at_fault()
    {
        using var admin = App.CreateAdminClient();

        using var invalid = await admin.PostAsJsonAsync("/api/workspaces", new { name = "", slug = "Not A Slug" });
        using var malformed = await admin.PostAsync("/api/workspaces", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        var errors = (await ReadJsonAsync(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("slug", out _));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Registration_needs_the_admin_token_an_enrollment_token_or_an_open_workspace()
    {
        using var admin = App.CreateAdminClient();
        var closed = await CreateWorkspaceAsync(admin, "token");
        var open = await CreateWorkspaceAsync(admin, "open");
        using var enrollmentResponse = await admin.PostAsJsonAsync($"/api/workspaces/{closed}/enrollment-tokens", new { expires_in_hours = 1 });
        Assert.Equal(HttpStatusCode.Created, enrollmentResponse.StatusCode);
        var enrollment = (await ReadJsonAsync(enrollmentResponse)).GetProperty("token").GetString()!;
        Assert.StartsWith("cs_enroll_", enrollment);

        using var anonymous = App.CreateHttpClient(ResourceNames.Api);
        using var refused = await anonymous.PostAsJsonAsync("/collectors", Registration(closed));
        using var intoOpen = await anonymous.PostAsJsonAsync("/collectors", Registration(open));
        using var unknown = await anonymous.PostAsJsonAsync("/collectors", Registration(Guid.NewGuid()));
        using var incomplete = await anonymous.PostAsJsonAsync("/collectors", new { workspace_id = open, hostname = "" });
        using var byAdmin = await admin.PostAsJsonAsync("/collectors", Registration(closed));
        using var enrolled = new HttpClient { BaseAddress = anonymous.BaseAddress };
        enrolled.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", enrollment);
        using var byEnrollment = await enrolled.PostAsJsonAsync("/collectors", Registration(closed));
        using var enrollmentElsewhere = await enrolled.PostAsJsonAsync("/collectors", Registration(await CreateWorkspaceAsync(admin, "token")));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, intoOpen.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, incomplete.StatusCode);
        var incompleteErrors = (await ReadJsonAsync(incomplete)).GetProperty("errors");
        Assert.True(incompleteErrors.TryGetProperty("collector_type", out _));
        Assert.True(incompleteErrors.TryGetProperty("hostname", out _));
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byEnrollment.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, enrollmentElsewhere.StatusCode);

        var registered = await ReadJsonAsync(byEnrollment);
        var key = registered.GetProperty("api_key").GetString()!;
        Assert.Matches("^cs_live_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(key[..12], registered.GetProperty("api_key_prefix").GetString());
        Assert.Equal(closed, registered.GetProperty("workspace_id").GetGuid());
        Assert.EndsWith("Z", registered.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task Only_the_sha256_of_a_key_is_stored()
    {
        using var admin = App.CreateAdminClient();
        var (collectorId, key) = await RegisterAsync(admin, await CreateWorkspaceAsync(admin, "token"));

        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT api_key_hash, api_key_prefix, row_to_json(c)::text FROM collectors c WHERE id = $1", connection)
        {
            Parameters = { new() { Value = collectorId } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), (byte[])reader[0]);
        Assert.Equal(key[..12], reader.GetString(1));
        Assert.DoesNotContain(key, reader.GetString(2));
    }

    [Fact]
    public async Task A_collector_sees_itself_and_nothing_else_and_its_header_must_match_its_key()
    {
        using var admin = App.CreateAdminClient();
        var (workspace, mine, key, other) = await TwoCollectorsAsync(admin);
        using var collector = CollectorClient(key);

        using var self = await collector.GetAsync($"/collectors/{mine}");
        using var foreign = await collector.GetAsync($"/collectors/{other}");
        using var byAdmin = await admin.GetAsync($"/collectors/{other}");
        collector.DefaultRequestHeaders.Add("X-Collector-ID", other.ToString());
        using var mismatched = await collector.GetAsync($"/collectors/{mine}");

        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        var info = await ReadJsonAsync(self);
        Assert.True(info.GetProperty("active").GetBoolean());
        Assert.Equal(workspace, info.GetProperty("workspace_id").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, mismatched.StatusCode);
    }

    [Fact]
    public async Task Rotation_stops_the_old_key_at_once_unless_a_grace_period_is_given()
    {
        using var admin = App.CreateAdminClient();
        var (collectorId, firstKey) = await RegisterAsync(admin, await CreateWorkspaceAsync(admin, "token"));
        using var first = CollectorClient(firstKey);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync($"/collectors/{collectorId}")).StatusCode);

        var secondKey = await RotateAsync(admin, collectorId, new { });
        using var second = CollectorClient(secondKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync($"/collectors/{collectorId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync($"/collectors/{collectorId}")).StatusCode);

        var thirdKey = await RotateAsync(admin, collectorId, new { grace_seconds = 600 });
        using var third = CollectorClient(thirdKey);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync($"/collectors/{collectorId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await third.GetAsync($"/collectors/{collectorId}")).StatusCode);
    }

    [Fact]
    public async Task Revoked_keys_get_401_and_deleted_collectors_leave_the_list()
    {
        using var admin = App.CreateAdminClient();
        var (workspace, revoked, revokedKey, deleted) = await TwoCollectorsAsync(admin);
        using var revokedClient = CollectorClient(revokedKey);
        Assert.Equal(HttpStatusCode.OK, (await revokedClient.PostAsJsonAsync("/collectors/heartbeat", new { })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/collectors/{revoked}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/collectors/{deleted}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await revokedClient.PostAsJsonAsync("/collectors/heartbeat", new { })).StatusCode);
        var listed = (await ReadJsonAsync(await admin.GetAsync($"/api/collectors?workspace_id={workspace}"))).EnumerateArray().ToList();
        var only = Assert.Single(listed);
        Assert.Equal(revoked, only.GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.String, only.GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task A_disabled_collector_is_refused_with_403_until_it_is_enabled()
    {
        using var admin = App.CreateAdminClient();
        var (collectorId, key) = await RegisterAsync(admin, await CreateWorkspaceAsync(admin, "token"));
        using var collector = CollectorClient(key);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/collectors/{collectorId}/disable", null)).StatusCode);
        using var disabled = await collector.PostAsJsonAsync("/collectors/heartbeat", new { });
        using var disabledEvents = await collector.PostAsJsonAsync("/collectors/events",
            new { session_id = "s", events = new[] { new { type = "error", emitted_at = "2026-11-01T00:00:00Z", data = new { } } } });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/collectors/{collectorId}/enable", null)).StatusCode);
        using var enabled = await collector.PostAsJsonAsync("/collectors/heartbeat", new { });

        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
        Assert.Equal("application/problem+json", disabled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, disabledEvents.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
    }

    [Fact]
    public async Task A_heartbeat_answers_the_server_time_and_marks_the_collector_seen()
    {
        using var admin = App.CreateAdminClient();
        var workspace = await CreateWorkspaceAsync(admin, "token");
        var (collectorId, key) = await RegisterAsync(admin, workspace);
        var before = (await ReadJsonAsync(await admin.GetAsync($"/api/collectors?workspace_id={workspace}"))).EnumerateArray().Single();
        Assert.True(before.GetProperty("stale").GetBoolean());
        using var collector = CollectorClient(key);

        using var heartbeat = await collector.PostAsJsonAsync("/collectors/heartbeat", new { queue_depth = 7, version = "1.2.3", status = "ok" });

        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        var serverTime = (await ReadJsonAsync(heartbeat)).GetProperty("server_time").GetDateTimeOffset();
        Assert.InRange(serverTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var after = await Poll.LatestAsync(
            async () => (await ReadJsonAsync(await admin.GetAsync($"/api/collectors?workspace_id={workspace}"))).EnumerateArray().Single(),
            listed => listed.GetProperty("last_seen_at").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(10));

        Assert.Equal(collectorId, after.GetProperty("id").GetGuid());
        Assert.False(after.GetProperty("stale").GetBoolean());
        Assert.Equal(7, after.GetProperty("last_queue_depth").GetInt32());
    }

    private HttpClient CollectorClient(string key)
    {
        var client = App.CreateHttpClient(ResourceNames.Api);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static object Registration(Guid workspace) => new
    {
        collector_type = "aiobscura",
        collector_version = "0.9.0",
        hostname = "dev-laptop",
        workspace_id = workspace,
        metadata = new { os = "linux" },
    };

    private static string NewSlug() => $"team-{Guid.NewGuid():N}"[..20];

    private static async Task<Guid> CreateWorkspaceAsync(HttpClient admin, string registration)
    {
        using var response = await admin.PostAsJsonAsync("/api/workspaces", new { name = "Team", slug = NewSlug(), collector_registration = registration });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("id").GetGuid();
    }

    private static async Task<(Guid CollectorId, string Key)> RegisterAsync(HttpClient admin, Guid workspace)
    {
        using var response = await admin.PostAsJsonAsync("/collectors", Registration(workspace));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ReadJsonAsync(response);
        return (body.GetProperty("collector_id").GetGuid(), body.GetProperty("api_key").GetString()!);
    }

    /// <summary>Two collectors registered by the admin in a new workspace; the first one's key.</summary>
    private static async Task<(Guid Workspace, Guid First, string FirstKey, Guid Second)> TwoCollectorsAsync(HttpClient admin)
    {
        var workspace = await CreateWorkspaceAsync(admin, "token");
        var (first, firstKey) = await RegisterAsync(admin, workspace);
        var (second, _) = await RegisterAsync(admin, workspace);
        return (workspace, first, firstKey, second);
    }

    private static async Task<string> RotateAsync(HttpClient admin, Guid collectorId, object request)
    {
        using var response = await admin.PostAsJsonAsync($"/api/collectors/{collectorId}/rotate-key", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("api_key").GetString()!;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
