namespace CatSyphon.IntegrationTests;

/// <summary>
/// Conversation lists, search and detail, projects, developers and analytics over the <see cref="QueryDataset"/>,
/// whose tokens are known: alpha's five sonnet-4-5 replies (input 120, output 100, cache creation 10, cache read
/// 1,000), its sub-agent's haiku-4-5 reply (3 / 7), beta's opus-4-1 reply (40 / 60) and one reply of an unknown
/// model (4 / 6).
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class ConversationsAndAnalyticsApiTests(RunningStackFixture stack) : QueryDatasetTest(stack)
{
    // USD per million tokens (pricing.json): sonnet-4-5 3 / 15 / 3.75 / 0.3, haiku-4-5 1 / 5, opus-4-1 15 / 75.
    private const decimal AlphaCost = (120 * 3m + 100 * 15m + 10 * 3.75m + 1000 * 0.3m) / 1_000_000;
    private const decimal SubAgentCost = (3 * 1m + 7 * 5m) / 1_000_000;
    private const decimal BetaCost = (40 * 15m + 60 * 75m) / 1_000_000;
    private const long UnpricedTokens = 4 + 6;

    [Fact]
    public async Task List_filters_by_project_kind_plan_model_and_status()
    {
        var (data, admin) = await DatasetAsync();
        async Task<string[]> Sessions(string query) =>
            (await GetJsonAsync(admin, $"/api/conversations?workspace_id={data.WorkspaceA}{query}")).GetProperty("items").EnumerateArray()
            .Select(c => c.GetProperty("session_id").GetString()!).Order().ToArray();

        Assert.Equal([QueryDataset.AlphaSession, QueryDataset.SubAgentSession, QueryDataset.BetaSession], (await Sessions("")).OrderBy(s => s[0]).ThenBy(s => s.Length));
        Assert.Equal([QueryDataset.BetaSession], await Sessions($"&project_id={data.Projects["beta"]}"));
        Assert.Equal([QueryDataset.SubAgentSession], await Sessions("&kind=sub_agent"));
        Assert.Equal([QueryDataset.SubAgentSession], await Sessions($"&parent_id={data.Conversations[QueryDataset.AlphaSession]}"));
        Assert.Equal([QueryDataset.AlphaSession, QueryDataset.BetaSession], await Sessions("&kind=main"));
        Assert.Equal([QueryDataset.AlphaSession], await Sessions("&has_plan=true"));
        Assert.Equal([QueryDataset.AlphaSession], await Sessions("&has_errors=true"));
        Assert.Equal([QueryDataset.BetaSession], await Sessions("&model=claude-opus-4-1-20250805"));
        Assert.Equal([QueryDataset.BetaSession], await Sessions("&from=2026-03-04T00:00:00Z"));
        Assert.Empty(await Sessions("&status=completed&from=2026-03-04T00:00:00Z&to=2026-03-04T12:00:00Z"));
    }

    [Fact]
    public async Task List_pages_with_a_cursor_and_carries_tokens_and_cost()
    {
        var (data, admin) = await DatasetAsync();
        var seen = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync(admin, $"/api/conversations?workspace_id={data.WorkspaceA}&limit=1" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(3, seen.Select(c => c.GetProperty("id").GetGuid()).Distinct().Count());
        var lastActivity = seen.Select(c => c.GetProperty("last_event_at").GetDateTimeOffset()).ToList();
        Assert.Equal(lastActivity.OrderDescending(), lastActivity);
        var alpha = seen.Single(c => c.GetProperty("session_id").GetString() == QueryDataset.AlphaSession);
        Assert.Equal((120, 100, 10, 1000), (alpha.GetProperty("input_tokens").GetInt64(), alpha.GetProperty("output_tokens").GetInt64(),
            alpha.GetProperty("cache_creation_tokens").GetInt64(), alpha.GetProperty("cache_read_tokens").GetInt64()));
        Assert.Equal(AlphaCost, alpha.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1, alpha.GetProperty("child_count").GetInt32());
        var beta = seen.Single(c => c.GetProperty("session_id").GetString() == QueryDataset.BetaSession);
        Assert.Equal((BetaCost, UnpricedTokens), (beta.GetProperty("cost_usd").GetDecimal(), beta.GetProperty("unpriced_tokens").GetInt64()));

        foreach (var bad in new[] { "&cursor=nonsense", "&limit=0", "&kind=other", "&sort=size", "&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z" })
        {
            using var response = await admin.GetAsync($"/api/conversations?workspace_id={data.WorkspaceA}{bad}");
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{bad}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Search_ranks_matching_sessions_of_the_workspace_only_with_highlighted_snippets()
    {
        var (data, admin) = await DatasetAsync();

        var hits = (await GetJsonAsync(admin, $"/api/conversations?workspace_id={data.WorkspaceA}&q=tokenizers")).GetProperty("items").EnumerateArray().ToList();
        var hit = Assert.Single(hits);
        Assert.Equal(QueryDataset.AlphaSession, hit.GetProperty("session_id").GetString());
        Assert.Contains("<mark>tokenizer</mark>", hit.GetProperty("snippet").GetString());
        Assert.True(hit.GetProperty("rank").GetDouble() > 0);

        var readme = (await GetJsonAsync(admin, $"/api/conversations?workspace_id={data.WorkspaceA}&q=%22README%20is%20written%22")).GetProperty("items");
        Assert.Equal(QueryDataset.BetaSession, Assert.Single(readme.EnumerateArray()).GetProperty("session_id").GetString());
        Assert.Empty((await GetJsonAsync(admin, $"/api/conversations?workspace_id={data.WorkspaceA}&q=workspace%20B")).GetProperty("items").EnumerateArray());
        Assert.Equal(QueryDataset.OtherSession, Assert.Single(
            (await GetJsonAsync(admin, $"/api/conversations?workspace_id={data.WorkspaceB}&q=tokenizer")).GetProperty("items").EnumerateArray()).GetProperty("session_id").GetString());
        Assert.Empty((await GetJsonAsync(admin, $"/api/conversations?workspace_id={data.WorkspaceB}&q=README")).GetProperty("items").EnumerateArray());

        // The filters choose among the matches before any are left out, and another workspace's project matches nothing.
        async Task<string[]> Sessions(Guid workspace, string query) =>
            [.. (await GetJsonAsync(admin, $"/api/conversations?workspace_id={workspace}{query}")).GetProperty("items").EnumerateArray()
                .Select(c => c.GetProperty("session_id").GetString()!)];
        Assert.Equal([QueryDataset.AlphaSession], await Sessions(data.WorkspaceA, $"&q=tokenizer&project_id={data.Projects["alpha"]}"));
        Assert.Empty(await Sessions(data.WorkspaceA, $"&q=tokenizer&project_id={data.Projects["beta"]}"));
        Assert.Empty(await Sessions(data.WorkspaceB, $"&q=tokenizer&project_id={data.Projects["alpha"]}"));
    }

    [Fact]
    public async Task Detail_has_tokens_and_cost_by_model_sub_agents_files_and_plans()
    {
        var (data, admin) = await DatasetAsync();
        var alphaId = data.Conversations[QueryDataset.AlphaSession];

        var detail = await GetJsonAsync(admin, $"/api/conversations/{alphaId}?workspace_id={data.WorkspaceA}");
        var model = Assert.Single(detail.GetProperty("tokens_by_model").EnumerateArray());
        Assert.Equal("claude-sonnet-4-5-20250929", model.GetProperty("key").GetString());
        Assert.Equal(AlphaCost, model.GetProperty("cost").GetDecimal());
        Assert.Equal(AlphaCost, detail.GetProperty("conversation").GetProperty("cost_usd").GetDecimal());
        Assert.Equal("/home/dev/alpha", detail.GetProperty("working_directory").GetString());
        var child = Assert.Single(detail.GetProperty("children").EnumerateArray());
        Assert.Equal(QueryDataset.SubAgentSession, child.GetProperty("session_id").GetString());
        Assert.Equal("/home/dev/alpha/src/tokenizer.py", Assert.Single(detail.GetProperty("files_touched").EnumerateArray()).GetProperty("path").GetString());
        Assert.Equal(2, Assert.Single(detail.GetProperty("plans").EnumerateArray()).GetProperty("versions").GetInt32());

        var sub = await GetJsonAsync(admin, $"/api/conversations/{child.GetProperty("id").GetGuid()}?workspace_id={data.WorkspaceA}");
        Assert.Equal(alphaId, sub.GetProperty("parent").GetProperty("id").GetGuid());
        Assert.Equal(SubAgentCost, sub.GetProperty("conversation").GetProperty("cost_usd").GetDecimal());

        using var foreign = await admin.GetAsync($"/api/conversations/{alphaId}?workspace_id={data.WorkspaceB}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task Token_stats_per_group_add_up_to_the_scan_totals_with_cost_and_unpriced_tokens()
    {
        var (data, admin) = await DatasetAsync();
        var scanned = data.ScanA.GetProperty("tokens").GetProperty("total").GetInt64();
        Assert.Equal(120 + 100 + 10 + 1000 + 3 + 7 + 40 + 60 + UnpricedTokens, scanned);

        foreach (var groupBy in new[] { "day", "model", "project", "developer", "session" })
        {
            var stats = await GetJsonAsync(admin, $"/api/stats/tokens?workspace_id={data.WorkspaceA}&group_by={groupBy}");
            var groups = stats.GetProperty("groups").EnumerateArray().ToList();
            Assert.Equal(scanned, groups.Sum(g => g.GetProperty("total").GetInt64()));
            Assert.Equal(scanned, stats.GetProperty("totals").GetProperty("total").GetInt64());
            Assert.Equal(AlphaCost + SubAgentCost + BetaCost, stats.GetProperty("totals").GetProperty("cost").GetDecimal());
            Assert.Equal(UnpricedTokens, stats.GetProperty("totals").GetProperty("unpriced_tokens").GetInt64());
        }

        var bySession = (await GetJsonAsync(admin, $"/api/stats/tokens?workspace_id={data.WorkspaceA}&group_by=session")).GetProperty("groups")
            .EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal(BetaCost, bySession[QueryDataset.BetaSession].GetProperty("cost").GetDecimal());
        var march5 = await GetJsonAsync(admin, $"/api/stats/tokens?workspace_id={data.WorkspaceA}&from=2026-03-05T00:00:00Z&to=2026-03-06T00:00:00Z");
        Assert.Equal(40 + 60 + UnpricedTokens, march5.GetProperty("totals").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Activity_groups_sessions_and_tokens_by_day_and_project()
    {
        var (data, admin) = await DatasetAsync();

        var byDay = await GetJsonAsync(admin, $"/api/stats/activity?workspace_id={data.WorkspaceA}&group_by=day&from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z");
        var days = byDay.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal(["2026-03-01", "2026-03-05"], days.Keys);
        Assert.Equal(2, days["2026-03-01"].GetProperty("sessions").GetInt64());
        Assert.Equal(AlphaCost + SubAgentCost, days["2026-03-01"].GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1, days["2026-03-05"].GetProperty("sessions").GetInt64());
        Assert.Equal(3, byDay.GetProperty("totals").GetProperty("sessions").GetInt64());
        Assert.Equal(5, byDay.GetProperty("totals").GetProperty("tool_calls").GetInt64());
        Assert.True(days["2026-03-01"].GetProperty("average_duration_seconds").GetDouble() > 0);

        var byProject = await GetJsonAsync(admin, $"/api/stats/activity?workspace_id={data.WorkspaceA}&group_by=project");
        var projects = byProject.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("label").GetString()!);
        Assert.Equal(2, projects["alpha"].GetProperty("sessions").GetInt64());
        Assert.Equal(BetaCost, projects["beta"].GetProperty("cost_usd").GetDecimal());

        var byModel = await GetJsonAsync(admin, $"/api/stats/activity?workspace_id={data.WorkspaceA}&group_by=model");
        Assert.Contains(byModel.GetProperty("groups").EnumerateArray(), g => g.GetProperty("key").GetString() == "mystery-model-1" && g.GetProperty("unpriced_tokens").GetInt64() == UnpricedTokens);

        using var bad = await admin.GetAsync($"/api/stats/activity?workspace_id={data.WorkspaceA}&group_by=week");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
    }

    [Fact]
    public async Task Activity_of_one_project_counts_only_its_sessions_and_tokens()
    {
        var (data, admin) = await DatasetAsync();

        var alpha = await GetJsonAsync(admin, $"/api/stats/activity?workspace_id={data.WorkspaceA}&group_by=day&project_id={data.Projects["alpha"]}");
        var days = alpha.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal(["2026-03-01"], days.Keys);
        Assert.Equal(2, alpha.GetProperty("totals").GetProperty("sessions").GetInt64());
        Assert.Equal(AlphaCost + SubAgentCost, alpha.GetProperty("totals").GetProperty("cost_usd").GetDecimal());

        var beta = await GetJsonAsync(admin, $"/api/stats/activity?workspace_id={data.WorkspaceA}&group_by=developer&project_id={data.Projects["beta"]}");
        Assert.Equal(1, beta.GetProperty("totals").GetProperty("sessions").GetInt64());
        Assert.Equal(BetaCost, beta.GetProperty("totals").GetProperty("cost_usd").GetDecimal());
        Assert.Equal(UnpricedTokens, beta.GetProperty("totals").GetProperty("unpriced_tokens").GetInt64());

        var foreign = await GetJsonAsync(admin, $"/api/stats/activity?workspace_id={data.WorkspaceA}&project_id={data.Projects["other"]}");
        Assert.Equal(0, foreign.GetProperty("totals").GetProperty("sessions").GetInt64());
        Assert.Equal(0, foreign.GetProperty("totals").GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public async Task Projects_and_developers_list_sessions_activity_tokens_and_cost()
    {
        var (data, admin) = await DatasetAsync();

        var projects = (await GetJsonAsync(admin, $"/api/projects?workspace_id={data.WorkspaceA}")).EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(["alpha", "beta"], projects.Keys.Order());
        Assert.Equal(2, projects["alpha"].GetProperty("sessions").GetInt64());
        Assert.Equal(AlphaCost + SubAgentCost, projects["alpha"].GetProperty("tokens").GetProperty("cost").GetDecimal());
        Assert.Equal("beta", (await GetJsonAsync(admin, $"/api/projects/{data.Projects["beta"]}?workspace_id={data.WorkspaceA}")).GetProperty("name").GetString());
        Assert.Equal(["other"], (await GetJsonAsync(admin, $"/api/projects?workspace_id={data.WorkspaceB}")).EnumerateArray().Select(p => p.GetProperty("name").GetString()));

        var developers = (await GetJsonAsync(admin, $"/api/developers?workspace_id={data.WorkspaceA}")).EnumerateArray().ToList();
        Assert.True(developers.Sum(d => d.GetProperty("sessions").GetInt64()) <= 3);
        using var foreign = await admin.GetAsync($"/api/projects/{data.Projects["beta"]}?workspace_id={data.WorkspaceB}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}
