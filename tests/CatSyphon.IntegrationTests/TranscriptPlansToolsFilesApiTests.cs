namespace CatSyphon.IntegrationTests;

/// <summary>Transcripts, plans with their diff, tool usage and files touched, over the <see cref="QueryDataset"/>.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class TranscriptPlansToolsFilesApiTests(RunningStackFixture stack) : QueryDatasetTest(stack)
{
    [Fact]
    public async Task Transcript_is_in_sequence_order_with_thinking_and_each_tool_call_joined_with_its_result()
    {
        var (data, admin) = await DatasetAsync();
        var alpha = data.Conversations[QueryDataset.AlphaSession];

        var page = await GetJsonAsync(admin, $"/api/conversations/{alpha}/messages?workspace_id={data.WorkspaceA}");
        var items = page.GetProperty("items").EnumerateArray().ToList();

        var sequences = items.Select(i => i.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.DoesNotContain(items, i => i.GetProperty("event_type").GetString() == "tool_result");
        Assert.Contains(items, i => i.GetProperty("event_type").GetString() == "thinking"
            && i.GetProperty("thinking").GetString() == "The tokenizer splits on spaces");
        var calls = items.Where(i => i.GetProperty("event_type").GetString() == "tool_call")
            .Where(i => i.GetProperty("tool_call").GetProperty("tool_name").GetString() is "Edit" or "Bash")
            .ToDictionary(i => i.GetProperty("tool_call").GetProperty("tool_name").GetString()!, i => i.GetProperty("tool_call"));
        Assert.True(calls["Edit"].GetProperty("success").GetBoolean());
        Assert.Equal("The file was updated", calls["Edit"].GetProperty("result").GetString());
        Assert.Equal("/home/dev/alpha/src/tokenizer.py", calls["Edit"].GetProperty("parameters").GetProperty("file_path").GetString());
        Assert.False(calls["Bash"].GetProperty("success").GetBoolean());
        Assert.Equal("1 failed, 3 passed", calls["Bash"].GetProperty("error_message").GetString());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("raw_data").ValueKind);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_after").ValueKind);
    }

    [Fact]
    public async Task Transcript_pages_by_sequence_and_returns_raw_data_on_request()
    {
        var (data, admin) = await DatasetAsync();
        var alpha = data.Conversations[QueryDataset.AlphaSession];
        var all = (await GetJsonAsync(admin, $"/api/conversations/{alpha}/messages?workspace_id={data.WorkspaceA}"))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sequence").GetInt64()).ToList();

        var seen = new List<long>();
        long? after = 0;
        while (after is { } cursor)
        {
            var page = await GetJsonAsync(admin, $"/api/conversations/{alpha}/messages?workspace_id={data.WorkspaceA}&limit=2&after={cursor}&include_raw=true");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            Assert.All(items, i => Assert.Equal(JsonValueKind.Object, i.GetProperty("raw_data").ValueKind));
            seen.AddRange(items.Select(i => i.GetProperty("sequence").GetInt64()));
            after = page.GetProperty("next_after").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_after").GetInt64();
        }

        Assert.Equal(all, seen);
    }

    [Fact]
    public async Task Plans_list_their_versions_and_diff_two_of_them()
    {
        var (data, admin) = await DatasetAsync();

        var plan = Assert.Single((await GetJsonAsync(admin, $"/api/plans?workspace_id={data.WorkspaceA}")).EnumerateArray());
        Assert.Equal(QueryDataset.AlphaSession, plan.GetProperty("session_id").GetString());
        Assert.Equal(2, plan.GetProperty("versions").GetInt32());
        var id = plan.GetProperty("id").GetGuid();

        var detail = await GetJsonAsync(admin, $"/api/plans/{id}?workspace_id={data.WorkspaceA}");
        Assert.Equal(["1. Parse\n2. Store", "1. Parse\n2. Store\n3. Test"],
            detail.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("content").GetString()));

        var diff = await GetJsonAsync(admin, $"/api/plans/{id}/diff?workspace_id={data.WorkspaceA}");
        Assert.Equal((1, 2, 1, 0), (diff.GetProperty("from").GetInt32(), diff.GetProperty("to").GetInt32(), diff.GetProperty("added").GetInt32(), diff.GetProperty("deleted").GetInt32()));
        var added = Assert.Single(diff.GetProperty("lines").EnumerateArray(), l => l.GetProperty("change").GetString() == "added");
        Assert.Equal("3. Test", added.GetProperty("new_text").GetString());
        Assert.Equal(3, added.GetProperty("new_number").GetInt32());

        using var missing = await admin.GetAsync($"/api/plans/{id}/diff?workspace_id={data.WorkspaceA}&from=1&to=3");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
    }

    [Fact]
    public async Task Tool_usage_counts_calls_errors_and_error_rate_per_tool()
    {
        var (data, admin) = await DatasetAsync();

        var report = await GetJsonAsync(admin, $"/api/stats/tools?workspace_id={data.WorkspaceA}");
        var tools = report.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("tool_name").GetString()!);
        Assert.Equal(["Bash", "Edit", "ExitPlanMode", "Write"], tools.Keys.Order());
        Assert.Equal((1, 1, 1.0), (tools["Bash"].GetProperty("calls").GetInt64(), tools["Bash"].GetProperty("errors").GetInt64(), tools["Bash"].GetProperty("error_rate").GetDouble()));
        Assert.Equal((1, 0), (tools["Edit"].GetProperty("calls").GetInt64(), tools["Edit"].GetProperty("errors").GetInt64()));
        Assert.Equal((2, 2), (tools["ExitPlanMode"].GetProperty("calls").GetInt64(), tools["ExitPlanMode"].GetProperty("without_result").GetInt64()));
        Assert.Equal(5, report.GetProperty("calls").GetInt64());
        Assert.Equal(1.0 / 3, report.GetProperty("error_rate").GetDouble(), 6);

        var beta = await GetJsonAsync(admin, $"/api/stats/tools?workspace_id={data.WorkspaceA}&project_id={data.Projects["beta"]}");
        Assert.Equal("Write", Assert.Single(beta.GetProperty("tools").EnumerateArray()).GetProperty("tool_name").GetString());
        var march2 = await GetJsonAsync(admin, $"/api/stats/tools?workspace_id={data.WorkspaceA}&from=2026-03-02T00:00:00Z");
        Assert.Equal(1, march2.GetProperty("calls").GetInt64());
    }

    [Fact]
    public async Task Files_touched_rank_a_projects_files_by_lines_changed()
    {
        var (data, admin) = await DatasetAsync();

        var alpha = await GetJsonAsync(admin, $"/api/projects/{data.Projects["alpha"]}/files?workspace_id={data.WorkspaceA}");
        var file = Assert.Single(alpha.GetProperty("files").EnumerateArray());
        Assert.Equal("/home/dev/alpha/src/tokenizer.py", file.GetProperty("path").GetString());
        Assert.Equal((3, 1, 1), (file.GetProperty("lines_added").GetInt64(), file.GetProperty("lines_deleted").GetInt64(), file.GetProperty("sessions").GetInt64()));

        var beta = await GetJsonAsync(admin, $"/api/projects/{data.Projects["beta"]}/files?workspace_id={data.WorkspaceA}");
        Assert.Equal("/home/dev/beta/README.md", Assert.Single(beta.GetProperty("files").EnumerateArray()).GetProperty("path").GetString());
    }

    [Fact]
    public async Task Nothing_of_another_workspace_is_reachable()
    {
        var (data, admin) = await DatasetAsync();
        var alpha = data.Conversations[QueryDataset.AlphaSession];
        var plans = await GetJsonAsync(admin, $"/api/plans?workspace_id={data.WorkspaceA}");
        var planOfA = plans.EnumerateArray().Single().GetProperty("id").GetGuid();

        foreach (var path in new[]
        {
            $"/api/conversations/{alpha}/messages?workspace_id={data.WorkspaceB}",
            $"/api/plans/{planOfA}?workspace_id={data.WorkspaceB}",
            $"/api/plans/{planOfA}/diff?workspace_id={data.WorkspaceB}",
            $"/api/projects/{data.Projects["alpha"]}/files?workspace_id={data.WorkspaceB}",
            $"/api/plans?workspace_id={Guid.NewGuid()}",
        })
        {
            using var response = await admin.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var toolsOfB = await GetJsonAsync(admin, $"/api/stats/tools?workspace_id={data.WorkspaceB}");
        Assert.Equal("ExitPlanMode", Assert.Single(toolsOfB.GetProperty("tools").EnumerateArray()).GetProperty("tool_name").GetString());
        var plansOfB = await GetJsonAsync(admin, $"/api/plans?workspace_id={data.WorkspaceB}");
        Assert.Equal(QueryDataset.OtherSession, Assert.Single(plansOfB.EnumerateArray()).GetProperty("session_id").GetString());
    }
}
