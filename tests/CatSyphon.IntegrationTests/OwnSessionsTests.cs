namespace CatSyphon.IntegrationTests;

/// <summary>
/// Sessions belong to people: through the collectors they register (signed in, or with their personal enrollment
/// token) and the developer identities an admin links to them. Under <c>transcript_visibility: own</c> members read only
/// their own transcripts, while every figure stays visible.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class OwnSessionsTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Under_own_visibility_a_member_reads_only_their_own_transcripts_but_every_figure()
    {
        var team = await CollectorClient.CreateWorkspaceAsync(App);
        using var alice = await TeamPeople.CreateMemberAsync(App, team, "member");
        using var bob = await TeamPeople.CreateMemberAsync(App, team, "viewer");
        using var aliceCollector = await TeamPeople.RegisterCollectorAsync(App, alice, team);
        using var teamCollector = await CollectorClient.RegisterAsync(App, team);
        var aliceSession = await SendSessionAsync(aliceCollector, "alice's secret plan");
        var otherSession = await SendSessionAsync(teamCollector, "someone else's secret plan");

        using var admin = App.CreateAdminClient();
        using var own = await admin.PatchAsJsonAsync($"/api/workspaces/{team}", new { transcript_visibility = "own" });
        Assert.Equal("own", (await CollectorClient.ReadJsonAsync(own)).GetProperty("transcript_visibility").GetString());

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync($"/api/conversations/{aliceSession}/messages?workspace_id={team}")).StatusCode);
        using var others = await alice.Http.GetAsync($"/api/conversations/{otherSession}/messages?workspace_id={team}");
        using var unknown = await alice.Http.GetAsync($"/api/conversations/{Guid.NewGuid()}/messages?workspace_id={team}");
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        Assert.Equal(unknown.StatusCode, others.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync($"/api/conversations/{aliceSession}/messages?workspace_id={team}")).StatusCode);

        // A search matches transcripts, so it finds only her own; the list and the figures still count both sessions.
        var found = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={team}&q=secret");
        Assert.Equal([aliceSession], found.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        var listed = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={team}");
        Assert.Equal(2, listed.GetProperty("items").GetArrayLength());
        var activity = await bob.Http.GetFromJsonAsync<JsonElement>($"/api/stats/activity?workspace_id={team}&group_by=day");
        Assert.Equal(2, activity.GetProperty("totals").GetProperty("sessions").GetInt64());

        // A plan is part of its session's transcript.
        var plans = (await admin.GetFromJsonAsync<JsonElement>($"/api/plans?workspace_id={team}")).EnumerateArray()
            .ToDictionary(p => p.GetProperty("conversation_id").GetGuid(), p => p.GetProperty("id").GetGuid());
        Assert.Equal(2, plans.Count);
        var alicePlans = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/plans?workspace_id={team}");
        Assert.Equal([plans[aliceSession]], alicePlans.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.GetAsync($"/api/plans/{plans[otherSession]}?workspace_id={team}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync($"/api/plans/{plans[aliceSession]}?workspace_id={team}")).StatusCode);

        // Workspace admins read everything.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/conversations/{otherSession}/messages?workspace_id={team}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/plans/{plans[otherSession]}?workspace_id={team}")).StatusCode);

        // "My sessions": hers only, and none for a person with no sessions.
        var mine = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={team}&mine=true");
        Assert.Equal([aliceSession], mine.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal(0, (await bob.Http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={team}&mine=true")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_member_s_enrollment_token_and_a_linked_developer_make_sessions_theirs()
    {
        var team = await CollectorClient.CreateWorkspaceAsync(App);
        using var carol = await TeamPeople.CreateMemberAsync(App, team, "member");
        using var enrollment = await carol.Http.PostAsJsonAsync($"/api/workspaces/{team}/enrollment-tokens", new { });
        Assert.Equal(HttpStatusCode.Created, enrollment.StatusCode);
        using var laptop = TeamPeople.Client(App, (await CollectorClient.ReadJsonAsync(enrollment)).GetProperty("token").GetString()!);
        using var registered = await laptop.PostAsJsonAsync("/collectors",
            new { collector_type = "test", collector_version = "1.0.0", hostname = "carol-laptop", workspace_id = team });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var key = (await CollectorClient.ReadJsonAsync(registered)).GetProperty("api_key").GetString()!;
        using var carolCollector = new CollectorClient(TeamPeople.Client(App, key), team, Guid.Empty, key);
        var fromHerLaptop = await SendSessionAsync(carolCollector, "from the laptop");

        // A session of a shared collector, under a developer identity an admin then links to her.
        using var shared = await CollectorClient.RegisterAsync(App, team);
        var fromCi = await SendSessionAsync(shared, "from ci", developer: "carol-ci");
        using var admin = App.CreateAdminClient();
        var developers = await admin.GetFromJsonAsync<JsonElement>($"/api/developers?workspace_id={team}");
        var ciIdentity = developers.EnumerateArray().Single(d => d.GetProperty("username").GetString() == "carol-ci").GetProperty("id").GetGuid();
        using var link = await admin.PutAsJsonAsync($"/api/developers/{ciIdentity}/user?workspace_id={team}", new { user_id = carol.Id });
        Assert.Equal(HttpStatusCode.NoContent, link.StatusCode);

        var mine = await carol.Http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={team}&mine=true");
        Assert.Equal(new[] { fromHerLaptop, fromCi }.Order(), mine.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).Order());
    }

    /// <summary>Sends a two-message session and waits until it is stored; returns its conversation id.</summary>
    private Task<Guid> SendSessionAsync(CollectorClient collector, string content, string developer = "dev") =>
        collector.SendPersistedAsync(App, $"own-{Guid.NewGuid():N}",
        [
            CollectorClient.SessionStart(developer),
            CollectorClient.Message(0, 2, content: content),
            CollectorClient.Message(1, 3, content: content),
            new
            {
                type = "tool_call", emitted_at = "2026-11-01T10:00:05Z", sequence = 4L,
                data = new { tool_name = "ExitPlanMode", tool_use_id = "plan-1", parameters = new { plan = content }, plan = new { content } },
            },
        ]);
}
