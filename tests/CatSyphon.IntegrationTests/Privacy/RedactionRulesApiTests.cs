namespace CatSyphon.IntegrationTests.Privacy;

/// <summary>A workspace's own redaction patterns and allow-list: who may change them, what is refused, and what they do to the next batch.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class RedactionRulesApiTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task A_workspace_pattern_redacts_and_its_allow_list_spares_from_the_next_batch_on()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var rules = $"/api/workspaces/{collector.WorkspaceId}/redaction-rules";
        using var admin = App.CreateAdminClient();
        using (var pattern = await admin.PostAsJsonAsync(rules, new { kind = "pattern", value = "ACME-[0-9]{6}", label = "acme-ticket-key" }))
        {
            Assert.Equal(HttpStatusCode.Created, pattern.StatusCode);
        }

        using (var allowed = await admin.PostAsJsonAsync(rules, new { kind = "allow", value = "AKIAIOSFODNN7EXAMPLE" }))
        {
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        }

        await collector.SendAcceptedAsync("rules-1", [Message(1, "ticket ACME-123456, docs key AKIAIOSFODNN7EXAMPLE, real AKIAQQQQQQQQQQQQQQQQ")]);
        await collector.WaitForPersistedAsync("rules-1", 1);

        Assert.Equal(
            "ticket [REDACTED:acme-ticket-key], docs key AKIAIOSFODNN7EXAMPLE, real [REDACTED:aws-access-key]",
            await StoredContentAsync(collector.WorkspaceId, "rules-1"));
        var listed = await CollectorClient.ReadJsonAsync(await admin.GetAsync(rules));
        Assert.Equal(["acme-ticket-key", null], listed.EnumerateArray().Select(r => r.GetProperty("label").GetString()));

        // Removing the allow-list entry takes effect on the next batch, on every replica (the cache is told over Redis).
        var allowId = listed.EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "allow").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{rules}/{allowId}")).StatusCode);
        await collector.SendAcceptedAsync("rules-2", [Message(1, "docs key AKIAIOSFODNN7EXAMPLE")]);
        await collector.WaitForPersistedAsync("rules-2", 1);
        Assert.Equal("docs key [REDACTED:aws-access-key]", await StoredContentAsync(collector.WorkspaceId, "rules-2"));
    }

    [Fact]
    public async Task Patterns_that_could_backtrack_or_misbehave_and_duplicates_are_refused_by_name()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        var rules = $"/api/workspaces/{workspace}/redaction-rules";
        using var admin = App.CreateAdminClient();

        foreach (var (value, reason) in new[] { ("(?<=x)y", "backtracking"), ("a*", "empty string"), ("[", "not a regular expression") })
        {
            using var refused = await admin.PostAsJsonAsync(rules, new { kind = "pattern", value });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains(reason, (await CollectorClient.ReadJsonAsync(refused)).GetProperty("errors").GetProperty("value")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync(rules, new { kind = "allow", value = "public-id-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync(rules, new { kind = "allow", value = "public-id-1" })).StatusCode);
    }

    [Fact]
    public async Task Members_may_preview_but_only_admins_see_or_change_the_rules_and_the_audit_names_no_value()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        var rules = $"/api/workspaces/{workspace}/redaction-rules";
        using var member = await TeamPeople.CreateMemberAsync(App, workspace, "member");

        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync(rules)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.PostAsJsonAsync(rules, new { kind = "allow", value = "x-secret-value" })).StatusCode);
        using var preview = await member.Http.PostAsJsonAsync($"{rules}/preview", new { text = "export DB_PASSWORD=hunter2hunter2" });
        var body = await CollectorClient.ReadJsonAsync(preview);
        Assert.Equal("export DB_PASSWORD=[REDACTED:env-secret]", body.GetProperty("text").GetString());
        Assert.Equal(1, body.GetProperty("redacted").GetInt32());

        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync(rules, new { kind = "allow", value = "allowed-value-42" })).StatusCode);
        var audit = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/audit?workspace_id={workspace}"));
        Assert.Contains("redaction_rule.added", audit.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("allowed-value-42", audit.ToString(), StringComparison.Ordinal);
    }

    private static object Message(int sequence, string content) => new
    {
        type = "message", emitted_at = "2026-11-20T10:00:00Z", sequence,
        data = new { author_role = "human", message_type = "prompt", content },
    };

    private async Task<string> StoredContentAsync(Guid workspace, string sessionId)
    {
        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.workspace_id = $1 AND c.session_id = $2", connection)
        {
            Parameters = { new() { Value = workspace }, new() { Value = sessionId } },
        };
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
