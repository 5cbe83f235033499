namespace CatSyphon.IntegrationTests;

/// <summary>
/// Export archives: a workspace's for its admins (every session and event, the manifest's counts true, audited without
/// content), a person's own sessions for themselves, and the same from <c>catsyphon export</c> with a personal access token.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class ExportTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task A_workspace_export_holds_every_session_and_event_and_only_its_admins_may_take_it()
    {
        var team = await CollectorClient.CreateWorkspaceAsync(App);
        using var collector = await CollectorClient.RegisterAsync(App, team);
        var first = await SendSessionAsync(collector, "the first session's café ünïcode answer");
        await SendSessionAsync(collector, "the second session", developer: "other-dev");

        using var admin = App.CreateAdminClient();
        using var archive = await ExportArchiveFile.DownloadAsync(admin, $"/api/workspaces/{team}/export");
        var manifest = archive.Manifest;
        Assert.Equal(1, manifest.GetProperty("format_version").GetInt32());
        Assert.Equal("workspace", manifest.GetProperty("scope").GetString());
        Assert.Equal(team, manifest.GetProperty("workspace").GetProperty("id").GetGuid());
        Assert.False(string.IsNullOrEmpty(manifest.GetProperty("catsyphon_version").GetString()));

        await using var db = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await db.OpenAsync();
        foreach (var (file, table) in FileTables)
        {
            Assert.Equal(await CountAsync(db, table, team), archive.CountMatchingManifest(file));
        }

        Assert.Equal(await ScalarAsync(db, "SELECT count(*) FROM developers WHERE workspace_id = $1", team), archive.CountMatchingManifest("developers.jsonl"));
        Assert.Equal(await ScalarAsync(db, "SELECT count(*) FROM projects WHERE workspace_id = $1", team), archive.CountMatchingManifest("projects.jsonl"));
        Assert.Contains("manifest.json", archive.Names);

        // A known message, whole: its session, role, content (non-ASCII kept) and raw event data.
        var known = archive.Lines("messages.jsonl").Single(m => m.GetProperty("content").GetString() == "the first session's café ünïcode answer 1");
        Assert.Equal(first, known.GetProperty("conversation_id").GetGuid());
        Assert.Equal("assistant", known.GetProperty("role").GetString());
        Assert.Equal(known.GetProperty("content").GetString(), known.GetProperty("data").GetProperty("content").GetString());
        var session = archive.Lines("sessions.jsonl").Single(s => s.GetProperty("id").GetGuid() == first);
        Assert.Equal(["Edit", "ExitPlanMode"], session.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("claude-code", session.GetProperty("agent_type").GetString());
        var plan = archive.Lines("plans.jsonl").Single(p => p.GetProperty("conversation_id").GetGuid() == first);
        Assert.Equal("the first session's café ünïcode answer", plan.GetProperty("versions")[0].GetProperty("content").GetString());

        // Audited: who, which workspace, how many lines; never what they held.
        var audit = (string)(await ScalarObjectAsync(db,
            "SELECT details::text FROM audit_log WHERE workspace_id = $1 AND action = 'workspace.exported' ORDER BY id DESC LIMIT 1", team))!;
        using var details = JsonDocument.Parse(audit);
        Assert.Equal(archive.CountMatchingManifest("messages.jsonl"), details.RootElement.GetProperty("files").GetProperty("messages.jsonl").GetInt64());
        Assert.True(details.RootElement.GetProperty("completed").GetBoolean());
        Assert.DoesNotContain("café", audit);
    }

    [Fact]
    public async Task Members_viewers_and_outsiders_cannot_export_a_workspace_but_an_organization_admin_can()
    {
        var team = await CollectorClient.CreateWorkspaceAsync(App);
        using var member = await TeamPeople.CreateMemberAsync(App, team, "member");
        using var viewer = await TeamPeople.CreateMemberAsync(App, team, "viewer");
        using var outsider = await TeamPeople.CreateAsync(App);
        using var organizationAdmin = await TeamPeople.CreateAsync(App, "admin");
        var path = $"/api/workspaces/{team}/export";

        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync(path)).StatusCode);
        using var archive = await ExportArchiveFile.DownloadAsync(organizationAdmin.Http, path);
        Assert.Equal(0, archive.CountMatchingManifest("sessions.jsonl"));

        // The admin token has no account, so no data of its own.
        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/me/export")).StatusCode);
    }

    [Fact]
    public async Task A_person_s_export_holds_their_own_sessions_only_and_the_command_line_writes_it_with_a_token()
    {
        var team = await CollectorClient.CreateWorkspaceAsync(App);
        using var alice = await TeamPeople.CreateMemberAsync(App, team, "member");
        using var aliceCollector = await TeamPeople.RegisterCollectorAsync(App, alice, team);
        using var teamCollector = await CollectorClient.RegisterAsync(App, team);
        var hers = await SendSessionAsync(aliceCollector, "alice's own words");
        await SendSessionAsync(teamCollector, "someone else's words");

        using (var archive = await ExportArchiveFile.DownloadAsync(alice.Http, "/api/me/export"))
        {
            AssertOnlyHers(archive, hers, alice.Id);
        }

        using var created = await alice.Http.PostAsJsonAsync("/api/me/tokens", new { name = "export" });
        var token = (await CollectorClient.ReadJsonAsync(created)).GetProperty("token").GetString()!;
        var home = Directory.CreateTempSubdirectory("catsyphon-export-cli-");
        try
        {
            var output = Path.Combine(home.FullName, "mine.zip");
            var (exit, printed, errors) = await CollectorCli.RunAsync(home.FullName,
                ["export", "--server", App.BaseUrl(ResourceNames.Api), "--token", token, "--output", output]);
            Assert.True(exit == 0, $"catsyphon export exited with {exit}: {errors}");
            Assert.Contains("5 messages", printed);
            using (var archive = ExportArchiveFile.Open(output))
            {
                AssertOnlyHers(archive, hers, alice.Id);
            }

            File.Delete(output);
            // A member may not take the whole workspace: a clear error, and no file left behind.
            var refused = await CollectorCli.RunAsync(home.FullName,
                ["export", "--server", App.BaseUrl(ResourceNames.Api), "--token", token, "--workspace", team.ToString(), "--output", output]);
            Assert.Equal(3, refused.Exit);
            Assert.Contains("admin role", refused.Errors);
            Assert.Empty(Directory.GetFiles(home.FullName, "*.zip*"));
            var unknownToken = await CollectorCli.RunAsync(home.FullName,
                ["export", "--server", App.BaseUrl(ResourceNames.Api), "--token", "cs_pat_" + new string('x', 40), "--output", output]);
            Assert.Equal(2, unknownToken.Exit);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static void AssertOnlyHers(ExportArchiveFile archive, Guid hers, Guid alice)
    {
        Assert.Equal("person", archive.Manifest.GetProperty("scope").GetString());
        Assert.Equal(alice, archive.Manifest.GetProperty("person").GetProperty("id").GetGuid());
        Assert.Equal([hers], archive.Lines("sessions.jsonl").Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal(5, archive.CountMatchingManifest("messages.jsonl"));
        Assert.All(archive.Lines("messages.jsonl"), m => Assert.Equal(hers, m.GetProperty("conversation_id").GetGuid()));
        Assert.DoesNotContain(archive.Lines("messages.jsonl"), m => m.GetProperty("content").GetString()?.Contains("someone else") == true);
        Assert.DoesNotContain("developers.jsonl", archive.Names);
    }

    /// <summary>Each JSON Lines file of a session's data and the table it copies, counted over a workspace's sessions.</summary>
    private static readonly (string File, string Table)[] FileTables =
    [
        ("sessions.jsonl", "conversations"), ("messages.jsonl", "messages"), ("tool_calls.jsonl", "tool_calls"),
        ("files.jsonl", "files_touched"), ("plans.jsonl", "plans"), ("token_usage.jsonl", "token_usages"),
    ];

    private static Task<long> CountAsync(NpgsqlConnection db, string table, Guid workspace) => table == "conversations"
        ? ScalarAsync(db, "SELECT count(*) FROM conversations WHERE workspace_id = $1", workspace)
        : ScalarAsync(db, $"SELECT count(*) FROM {table} x JOIN conversations c ON c.id = x.conversation_id WHERE c.workspace_id = $1", workspace);

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql, Guid workspace) =>
        Convert.ToInt64(await ScalarObjectAsync(db, sql, workspace));

    private static async Task<object?> ScalarObjectAsync(NpgsqlConnection db, string sql, Guid workspace)
    {
        await using var command = new NpgsqlCommand(sql, db) { Parameters = { new() { Value = workspace } } };
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// A session of a user message, an answer with token usage, an edit and a plan, sent and persisted; its conversation id.
    /// </summary>
    private Task<Guid> SendSessionAsync(CollectorClient collector, string content, string developer = "dev")
    {
        var sessionId = $"export-{Guid.NewGuid():N}";
        return collector.SendPersistedAsync(App, sessionId,
        [
            CollectorClient.SessionStart(developer),
            CollectorClient.Message(0, 2, content: content),
            new
            {
                type = "message", emitted_at = "2026-11-01T10:00:01Z", sequence = 3L,
                data = new
                {
                    author_role = "assistant", message_type = "response", content = $"{content} 1", model = "claude-opus-4-6",
                    token_usage = new { input_tokens = 10, output_tokens = 5 }, usage_key = $"{sessionId}:r1",
                },
            },
            new
            {
                type = "tool_call", emitted_at = "2026-11-01T10:00:03Z", sequence = 4L,
                data = new
                {
                    tool_name = "Edit", tool_use_id = "edit-1", parameters = new { file_path = "/home/dev/project/app.py" },
                    file_change = new { path = "/home/dev/project/app.py", kind = "modified", lines_added = 2, lines_deleted = 1 },
                },
            },
            new
            {
                type = "tool_call", emitted_at = "2026-11-01T10:00:05Z", sequence = 5L,
                data = new { tool_name = "ExitPlanMode", tool_use_id = "plan-1", parameters = new { plan = content }, plan = new { content } },
            },
        ]);
    }
}
