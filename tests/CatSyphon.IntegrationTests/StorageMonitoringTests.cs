using System.Globalization;
using System.Text.Json;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// Storage monitoring on a running stack with a disk budget (issue 14 point 9): the ops endpoint's sizes, tables, events
/// per day and days until the budget is full; who may read what; and the gauges a Prometheus scrape of the API reads.
/// </summary>
public sealed class StorageMonitoringTests(StorageMonitoringTests.BudgetedStack stack) : IClassFixture<StorageMonitoringTests.BudgetedStack>
{
    public const long Budget = 10L * 1024 * 1024 * 1024;

    [Fact]
    public async Task The_report_sizes_the_database_and_its_tables_and_counts_a_fresh_workspaces_events_today()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        await collector.SendAcceptedAsync($"storage-{Guid.NewGuid():N}", CollectorClient.Messages(1, 5));
        await collector.SendAcceptedAsync($"storage-{Guid.NewGuid():N}", CollectorClient.Messages(1, 3));
        using var admin = stack.App.CreateAdminClient();
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var events = await Poll.LatestAsync(() => ReadAsync(admin, $"/api/ops/storage/events?workspace_id={collector.WorkspaceId}&days=7"),
            body => EventsOn(body, today) == 8, TimeSpan.FromSeconds(60));
        var report = await ReadAsync(admin, "/api/ops/storage?days=7");

        Assert.Equal(8, EventsOn(events, today));
        Assert.Equal(7, events.GetProperty("days").GetArrayLength());
        Assert.Equal(8, events.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("events").GetInt64()));
        var tables = report.GetProperty("tables").EnumerateArray().ToList();
        Assert.Contains(tables, t => t.GetProperty("name").GetString() == "messages");
        Assert.Contains(tables, t => t.GetProperty("name").GetString() == "ingestion_jobs");
        var totals = tables.Select(t => t.GetProperty("total_bytes").GetInt64()).ToList();
        Assert.Equal(totals.OrderDescending(), totals);
        Assert.All(tables, t => Assert.Equal(t.GetProperty("total_bytes").GetInt64(), t.GetProperty("table_bytes").GetInt64() + t.GetProperty("index_bytes").GetInt64()));
        var databaseBytes = report.GetProperty("database_bytes").GetInt64();
        Assert.True(databaseBytes > totals.Sum(), "the database holds the tables and PostgreSQL's catalogs");
        var workspace = report.GetProperty("workspaces").EnumerateArray().Single(w => w.GetProperty("workspace_id").GetGuid() == collector.WorkspaceId);
        Assert.Equal(8, EventsOn(workspace, today));

        var growth = report.GetProperty("growth");
        Assert.Equal(7, growth.GetProperty("window_days").GetInt32());
        Assert.True(growth.GetProperty("events_per_day").GetDouble() >= 8, "this stack is less than a day old: its events per day are all its events");
        Assert.True(growth.GetProperty("bytes_per_event").GetDouble() > 0);
        var bytesPerDay = growth.GetProperty("bytes_per_day").GetDouble();
        Assert.Equal(growth.GetProperty("events_per_day").GetDouble() * growth.GetProperty("bytes_per_event").GetDouble(), bytesPerDay, 6);
        Assert.Equal(Budget, growth.GetProperty("disk_budget_bytes").GetInt64());
        Assert.Equal((Budget - databaseBytes) / bytesPerDay, growth.GetProperty("days_until_budget_full").GetDouble(), 6);
    }

    [Fact]
    public async Task A_workspace_admin_sees_only_their_workspaces_events_and_a_member_no_storage_at_all()
    {
        var own = await CollectorClient.CreateWorkspaceAsync(stack.App);
        var other = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var workspaceAdmin = await TeamPeople.CreateMemberAsync(stack.App, own, "admin");
        using var member = await TeamPeople.CreateMemberAsync(stack.App, own, "member");
        using var organizationAdmin = await TeamPeople.CreateAsync(stack.App, "admin");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(workspaceAdmin.Http, $"/api/ops/storage/events?workspace_id={own}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(workspaceAdmin.Http, $"/api/ops/storage/events?workspace_id={other}"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(workspaceAdmin.Http, "/api/ops/storage"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(member.Http, $"/api/ops/storage/events?workspace_id={own}"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(member.Http, "/api/ops/storage"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(organizationAdmin.Http, "/api/ops/storage"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(organizationAdmin.Http, $"/api/ops/storage/events?workspace_id={other}"));
        var ownEvents = await ReadAsync(workspaceAdmin.Http, $"/api/ops/storage/events?workspace_id={own}");
        Assert.Equal(own, ownEvents.GetProperty("workspace_id").GetGuid());
        Assert.Equal(14, ownEvents.GetProperty("days").GetArrayLength());
    }

    [Fact]
    public async Task A_prometheus_scrape_of_the_api_reads_the_storage_and_operations_gauges()
    {
        using var http = stack.App.CreateHttpClient(ResourceNames.Api);
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        await collector.SendAcceptedAsync($"scrape-{Guid.NewGuid():N}", CollectorClient.Messages(1, 2));

        var scrape = await Poll.LatestAsync(() => http.GetStringAsync("/metrics"),
            text => PrometheusSamples.Value(text, "catsyphon_disk_budget_size_bytes") is not null, TimeSpan.FromSeconds(60));

        Assert.Equal(Budget, PrometheusSamples.Value(scrape, "catsyphon_disk_budget_size_bytes"));
        Assert.True(PrometheusSamples.Value(scrape, "catsyphon_db_size_bytes") > 0);
        Assert.True(PrometheusSamples.Value(scrape, "catsyphon_db_table_size_bytes", "table=\"messages\"") > 0);
        Assert.NotNull(PrometheusSamples.Value(scrape, "catsyphon_collectors_stale"));
        Assert.NotNull(PrometheusSamples.Value(scrape, "catsyphon_ingestion_dead_letters"));
        Assert.NotNull(PrometheusSamples.Value(scrape, "catsyphon_db_growth_bytes_per_day"));
        // The names the alert rules read, as the exporter really spells them (AlertRulesTests derives them from the code).
        Assert.True(PrometheusSamples.Value(scrape, "catsyphon_ingestion_events_accepted_total") >= 2);
        Assert.NotNull(PrometheusSamples.Value(scrape, "catsyphon_ingestion_stream_lag"));
        Assert.True(PrometheusSamples.Value(scrape, "http_server_request_duration_seconds_count", "http_response_status_code=\"202\"") >= 1);
    }

    [Fact]
    public async Task The_gauges_count_the_dead_letters_and_the_collectors_gone_quiet()
    {
        // Silent from its registration on: stale after this stack's one second.
        using var quiet = await CollectorClient.RegisterAsync(stack.App);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await stack.App.GetConnectionStringAsync(ResourceNames.Redis));
        await redis.GetDatabase().StreamAddAsync(IngestionRedisKeys.DeadLetters, IngestionRedisKeys.ErrorField, "a batch that kept failing");
        using var http = stack.App.CreateHttpClient(ResourceNames.Api);

        var scrape = await Poll.LatestAsync(() => http.GetStringAsync("/metrics"),
            text => PrometheusSamples.Value(text, "catsyphon_ingestion_dead_letters") >= 1 && PrometheusSamples.Value(text, "catsyphon_collectors_stale") >= 1,
            TimeSpan.FromSeconds(30));

        Assert.Equal(1, PrometheusSamples.Value(scrape, "catsyphon_ingestion_dead_letters"));
        Assert.True(PrometheusSamples.Value(scrape, "catsyphon_collectors_stale") >= 1);
    }

    [Fact]
    public async Task A_prometheus_scrape_of_the_worker_reads_its_persisted_events()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = $"worker-scrape-{Guid.NewGuid():N}";
        await collector.SendAcceptedAsync(session, CollectorClient.Messages(1, 3, sequenced: true));
        await collector.WaitForPersistedAsync(session, 3);
        using var worker = stack.App.CreateHttpClient(ResourceNames.Worker);

        var scrape = await Poll.LatestAsync(() => worker.GetStringAsync("/metrics"),
            text => PrometheusSamples.Value(text, "catsyphon_ingestion_events_persisted_total") >= 3, TimeSpan.FromSeconds(30));

        Assert.True(PrometheusSamples.Value(scrape, "catsyphon_ingestion_events_persisted_total") >= 3);
        Assert.NotNull(PrometheusSamples.Value(scrape, "catsyphon_ingestion_stream_lag"));
    }

    private static long EventsOn(JsonElement workspace, string day) =>
        workspace.GetProperty("days").EnumerateArray().Where(d => d.GetProperty("day").GetString() == day).Sum(d => d.GetProperty("events").GetInt64());

    private static async Task<JsonElement> ReadAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await CollectorClient.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>A stack whose API has a disk budget, measures every two seconds, calls a collector stale after a second and serves a Prometheus scrape.</summary>
    public sealed class BudgetedStack : StackFixture
    {
        protected override Task<CatSyphonApp> StartAsync() => CatSyphonApp.StartHealthyAsync(
            apiSettings: new Dictionary<string, string>
            {
                ["Monitoring__DiskBudgetBytes"] = Budget.ToString(CultureInfo.InvariantCulture),
                ["Monitoring__SampleInterval"] = "00:00:02",
                ["Collectors__StaleAfter"] = "00:00:01",
            },
            serviceSettings: new Dictionary<string, string> { ["Monitoring__PrometheusScraping"] = "true" });
    }
}
