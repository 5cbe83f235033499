namespace CatSyphon.IntegrationTests;

/// <summary>
/// The optional LLM through the API, on the shared stack, which has no LLM key: everything else works, the status says
/// "not configured", a session's detail carries an answer stored in the database (and says when the session grew
/// since), and admins set the workspace's monthly budget through PATCH, audited.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class LlmInsightsApiTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task A_stored_answer_is_in_the_session_detail_and_the_workspace_shows_its_use_against_its_budget()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        using var collector = await CollectorClient.RegisterAsync(App, workspace);
        var at = new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero);
        var id = await collector.SendPersistedAsync(App, $"llm-{Guid.NewGuid():N}", [Prompt(1, at, "Add retries to the importer"), Prompt(2, at, "and tests")]);
        using var admin = App.CreateAdminClient();
        var detailPath = $"/api/conversations/{id}?workspace_id={workspace}";
        Assert.Equal(JsonValueKind.Null, (await admin.GetFromJsonAsync<JsonElement>(detailPath)).GetProperty("llm").ValueKind);

        await SqlAsync(
            """
            INSERT INTO session_llm_insights (conversation_id, workspace_id, event_count, prompt_version, model, sentiment, summary, problems, features,
                                              learning_opportunities, input_tokens, output_tokens, computed_at, attempts)
            VALUES ($1, $2, 1, 1, 'gpt-test', 'frustrated', 'Retries were added; <b>tests</b> failed twice.', '{"flaky network test"}', '{"importer retries"}', '{}', 900, 80, now(), 0)
            """,
            id, workspace);
        var llm = (await admin.GetFromJsonAsync<JsonElement>(detailPath)).GetProperty("llm");
        Assert.Equal("frustrated", llm.GetProperty("sentiment").GetString());
        Assert.Equal("Retries were added; <b>tests</b> failed twice.", llm.GetProperty("summary").GetString());
        Assert.Equal(["flaky network test"], llm.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["importer retries"], llm.GetProperty("features").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0, llm.GetProperty("learning_opportunities").GetArrayLength());
        Assert.Equal("gpt-test", llm.GetProperty("model").GetString());
        // The row describes 1 event; the session has 2.
        Assert.True(llm.GetProperty("describes_older_version").GetBoolean());

        var status = await admin.GetFromJsonAsync<JsonElement>($"/api/workspaces/{workspace}/llm");
        Assert.False(status.GetProperty("configured").GetBoolean());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("model").ValueKind);
        Assert.Equal(2_000_000, status.GetProperty("budget").GetInt64());
        Assert.True(status.GetProperty("budget_is_default").GetBoolean());
        Assert.Equal(0, status.GetProperty("tokens_used").GetInt64());

        await SqlAsync(
            "INSERT INTO llm_usage (workspace_id, month, input_tokens, output_tokens, requests) VALUES ($1, date_trunc('month', now() AT TIME ZONE 'UTC')::date, 900, 80, 1)",
            workspace);
        using (var set = await admin.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { llm_monthly_token_budget = 5_000 }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        status = await admin.GetFromJsonAsync<JsonElement>($"/api/workspaces/{workspace}/llm");
        Assert.Equal((5_000L, false, 980L, 1), (status.GetProperty("budget").GetInt64(), status.GetProperty("budget_is_default").GetBoolean(),
            status.GetProperty("tokens_used").GetInt64(), status.GetProperty("requests").GetInt32()));
        var audit = await admin.GetStringAsync($"/api/audit?workspace_id={workspace}");
        Assert.Contains("workspace.llm_budget_set", audit);

        using (var back = await admin.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { llm_monthly_token_budget = -1 }))
        {
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        }

        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/api/workspaces/{workspace}/llm")).GetProperty("budget_is_default").GetBoolean());
        using var invalid = await admin.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { llm_monthly_token_budget = -5 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
    }

    private async Task SqlAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private static object Prompt(int sequence, DateTimeOffset at, string content) => new
    {
        type = "message", emitted_at = at.AddSeconds(sequence).ToString("O"), sequence = (long)sequence,
        data = new { author_role = "user", message_type = "prompt", content },
    };
}
