using static CatSyphon.IntegrationTests.DataLifecycleStack;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// Retention and erasure against real PostgreSQL and Redis: whole sessions go with every row derived from them and their
/// days' analytics, erased sessions stay erased (a resend or an upload is answered as duplicates and stores nothing),
/// each run is a data job with counts, audited without content, and only workspace admins ask for them.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class DataLifecycleTests(RunningStackFixture stack)
{
    private static readonly DateTimeOffset LongAgo = new(2025, 1, 6, 10, 0, 0, TimeSpan.Zero);

    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Retention_deletes_only_sessions_past_it_with_everything_derived_and_the_analytics_of_their_days()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        using var collector = await CollectorClient.RegisterAsync(App, workspace);
        using var admin = App.CreateAdminClient();
        var recentDay = DateTimeOffset.UtcNow.Date.AddDays(-1);
        await SendSessionAsync(collector, "old-session", LongAgo);
        await SendSessionAsync(collector, "recent-session", new DateTimeOffset(recentDay, TimeSpan.Zero));
        var (before, _) = await StoredAsync(App, workspace);

        using var set = await admin.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { retention_days = 30 });
        Assert.Equal(30, (await CollectorClient.ReadJsonAsync(set)).GetProperty("retention_days").GetInt32());

        // The worker's schedule queues a retention job for the workspace and runs it.
        var listed = await Poll.LatestAsync(
            async () => await admin.GetFromJsonAsync<JsonElement>($"/api/workspaces/{workspace}/data-jobs"),
            jobs => jobs.EnumerateArray().Any(j => j.GetProperty("status").GetString() == "succeeded"),
            TimeSpan.FromSeconds(60));
        var job = Assert.Single(listed.EnumerateArray());
        Assert.Equal("retention", job.GetProperty("kind").GetString());
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal((1, 1), (job.GetProperty("total").GetInt64(), job.GetProperty("processed").GetInt64()));
        Assert.Equal((1, 5), (Count(job, "sessions"), Count(job, "messages")));

        var (after, sessions) = await StoredAsync(App, workspace);
        Assert.Equal(["recent-session"], sessions);
        foreach (var table in DerivedTables.Append("message_search"))
        {
            Assert.True(before[table] > 0, $"the two sessions had no {table} rows");
            Assert.Equal(before[table] / 2, after[table]);
        }

        // The analytics of the deleted session's day are gone; the recent day's stay.
        var days = (await admin.GetFromJsonAsync<JsonElement>($"/api/stats/tokens?workspace_id={workspace}&group_by=day&from=2024-12-01T00:00:00Z"))
            .GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).ToList();
        Assert.Equal([recentDay.ToString("yyyy-MM-dd")], days);

        var retentionSet = Assert.Single(await AuditAsync(App, workspace, "workspace.retention_set")).Details;
        Assert.Equal((30, JsonValueKind.Null), (retentionSet.GetProperty("retention_days").GetInt32(), retentionSet.GetProperty("previous").ValueKind));
        var finished = Assert.Single(await AuditAsync(App, workspace, "data_job.finished"));
        Assert.Equal("retention", finished.Actor);
        Assert.Equal(1, finished.Details.GetProperty("counts").GetProperty("sessions").GetInt64());

        using var forever = await admin.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { retention_days = 0 });
        Assert.Equal(JsonValueKind.Null, (await CollectorClient.ReadJsonAsync(forever)).GetProperty("retention_days").ValueKind);
        using var tooLong = await admin.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { retention_days = 3651 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
    }

    [Fact]
    public async Task An_erased_session_is_gone_and_its_resent_events_are_answered_as_duplicates_and_store_nothing()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        using var collector = await CollectorClient.RegisterAsync(App, workspace);
        using var admin = App.CreateAdminClient();
        await SendSessionAsync(collector, "erase-me", LongAgo);
        await SendSessionAsync(collector, "keep-me", LongAgo);

        var job = await EraseAsync(admin, workspace, "session", new { session_id = "erase-me" });
        Assert.Equal(("erase_session", "erase-me"), (job.GetProperty("kind").GetString(), job.GetProperty("target").GetString()));
        Assert.Equal((1, 5, 1, 1, 1), (Count(job, "sessions"), Count(job, "messages"), Count(job, "tool_calls"), Count(job, "plans"), Count(job, "token_usages")));
        Assert.Equal(["keep-me"], (await StoredAsync(App, workspace)).Sessions);

        // The same events again, then new ones: every one a duplicate, nothing stored, the session still unknown.
        await SendSessionAgainAsync(collector, "erase-me");
        var more = await collector.SendAcceptedAsync("erase-me", CollectorClient.Messages(6, 2, sequenced: true));
        Assert.Equal((0, 2), CollectorClient.Counts(more));
        Assert.Equal(7, more.GetProperty("last_sequence").GetInt64());
        using var status = await collector.Http.GetAsync("/collectors/sessions/erase-me");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        await using var connection = await OpenAsync(App);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(["keep-me"], (await StoredAsync(App, workspace)).Sessions);
        Assert.Equal(1L, await ScalarAsync<long>(connection, "SELECT count(*) FROM erased_sessions WHERE workspace_id = $1", workspace));
        Assert.Equal(0L, await ScalarAsync<long>(connection,
            "SELECT count(*) FROM ingestion_jobs WHERE workspace_id = $1 AND session_id = 'erase-me'", workspace));

        var audited = Assert.Single(await AuditAsync(App, workspace, "data_job.finished")).Details;
        Assert.Equal(("erase_session", "erase-me"), (audited.GetProperty("kind").GetString(), audited.GetProperty("target").GetString()));
        Assert.DoesNotContain("plan it", audited.ToString());
    }

    [Fact]
    public async Task Erasing_a_developer_takes_their_sessions_and_erasing_the_workspace_takes_the_rest_once_its_slug_is_repeated()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        using var collector = await CollectorClient.RegisterAsync(App, workspace);
        using var admin = App.CreateAdminClient();
        await SendSessionAsync(collector, "a-1", LongAgo, developer: "dev-a");
        await SendSessionAsync(collector, "a-2", LongAgo, developer: "dev-a");
        await SendSessionAsync(collector, "b-1", LongAgo, developer: "dev-b");
        var developers = await admin.GetFromJsonAsync<JsonElement>($"/api/developers?workspace_id={workspace}");
        var devA = developers.EnumerateArray().Single(d => d.GetProperty("username").GetString() == "dev-a").GetProperty("id").GetGuid();

        var byDeveloper = await EraseAsync(admin, workspace, "developer", new { developer_id = devA });
        Assert.Equal((2, 10), (Count(byDeveloper, "sessions"), Count(byDeveloper, "messages")));
        Assert.Equal(["b-1"], (await StoredAsync(App, workspace)).Sessions);
        using var unknown = await admin.PostAsJsonAsync($"/api/workspaces/{workspace}/erase/developer", new { developer_id = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var slug = (await admin.GetFromJsonAsync<JsonElement>($"/api/workspaces/{workspace}")).GetProperty("slug").GetString();
        using var unconfirmed = await admin.PostAsJsonAsync($"/api/workspaces/{workspace}/erase/workspace", new { slug = "not-" + slug });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unconfirmed.StatusCode);
        var everything = await EraseAsync(admin, workspace, "workspace", new { slug });
        Assert.Equal(1, Count(everything, "sessions"));
        var (derived, sessions) = await StoredAsync(App, workspace);
        Assert.Empty(sessions);
        Assert.All(derived.Values, rows => Assert.Equal(0, rows));

        var jobs = await admin.GetFromJsonAsync<JsonElement>($"/api/workspaces/{workspace}/data-jobs");
        Assert.Equal(["erase_workspace", "erase_developer"], jobs.EnumerateArray().Select(j => j.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task An_upload_of_an_erased_session_stores_nothing()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        using var admin = App.CreateAdminClient();
        var file = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "claude", "projects"), "*.jsonl", SearchOption.AllDirectories)[0];
        var first = await UploadAsync(admin, workspace, file);
        await Poll.UntilAsync(async () => (await StoredAsync(App, workspace)).Derived["messages"] == first.GetProperty("events").GetInt64(),
            TimeSpan.FromSeconds(60), "the upload to be stored");
        var sessionId = Assert.Single((await StoredAsync(App, workspace)).Sessions);

        await EraseAsync(admin, workspace, "session", new { session_id = sessionId });
        var again = await UploadAsync(admin, workspace, file);

        Assert.Equal((0, first.GetProperty("events").GetInt64()), (again.GetProperty("accepted").GetInt64(), again.GetProperty("duplicates").GetInt64()));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty((await StoredAsync(App, workspace)).Sessions);
    }

    [Fact]
    public async Task Members_and_viewers_neither_erase_nor_see_data_jobs_nor_set_retention_and_organization_admins_do()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        using var member = await TeamPeople.CreateMemberAsync(App, workspace, "member");
        using var viewer = await TeamPeople.CreateMemberAsync(App, workspace, "viewer");
        foreach (var person in new[] { member, viewer })
        {
            using var erase = await person.Http.PostAsJsonAsync($"/api/workspaces/{workspace}/erase/session", new { session_id = "s" });
            using var jobs = await person.Http.GetAsync($"/api/workspaces/{workspace}/data-jobs");
            using var retention = await person.Http.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { retention_days = 7 });
            Assert.All([erase, jobs, retention], response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound }));
        }

        using var organizationAdmin = await TeamPeople.CreateAsync(App, "admin");
        var job = await EraseAsync(organizationAdmin.Http, workspace, "session", new { session_id = "never-sent" });
        Assert.Equal($"user:{organizationAdmin.Id}", job.GetProperty("requested_by").GetString());
        Assert.Equal(0, Count(job, "sessions"));
    }

    [Fact]
    public async Task A_running_job_whose_worker_died_is_resumed_and_finished()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        using var collector = await CollectorClient.RegisterAsync(App, workspace);
        using var admin = App.CreateAdminClient();
        await SendSessionAsync(collector, "left-over", LongAgo);

        // A job left running with one batch done, as a worker killed mid-job leaves it: no replica holds its lock.
        var jobId = Guid.CreateVersion7();
        await using (var connection = await OpenAsync(App))
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO data_jobs (id, workspace_id, kind, status, total, processed, counts, requested_by, created_at, started_at)
            VALUES ($1, $2, 'erase_workspace', 'running', 2, 1, '{"sessions": 1, "messages": 5}', 'admin', now(), now())
            """, connection) { Parameters = { new() { Value = jobId }, new() { Value = workspace } } })
        {
            await insert.ExecuteNonQueryAsync();
        }

        var job = await FinishedAsync(admin, workspace, jobId);
        Assert.Equal((2, 2), (job.GetProperty("total").GetInt64(), job.GetProperty("processed").GetInt64()));
        Assert.Equal((2, 10), (Count(job, "sessions"), Count(job, "messages")));
        Assert.Empty((await StoredAsync(App, workspace)).Sessions);
    }

    private static async Task SendSessionAgainAsync(CollectorClient collector, string sessionId)
    {
        // The five events as SendSessionAsync sent them, by sequence: the dedup of an erased session is its tombstone.
        var answer = await collector.SendAcceptedAsync(sessionId, CollectorClient.Messages(1, 5, sequenced: true));
        Assert.Equal((0, 5), CollectorClient.Counts(answer));
    }

    private static async Task<JsonElement> UploadAsync(HttpClient admin, Guid workspace, string file)
    {
        using var form = UploadTests.Form([file]);
        using var response = await admin.PostAsync($"/api/uploads?workspace_id={workspace}", form);
        var body = await CollectorClient.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return Assert.Single(body.GetProperty("files").EnumerateArray());
    }
}
