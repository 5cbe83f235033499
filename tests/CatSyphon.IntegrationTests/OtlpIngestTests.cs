using System.IO.Compression;
using CatSyphon.Telemetry.Otlp;
using Google.Protobuf;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// OTLP/HTTP ingest end to end: the bodies the agents send (JSON and protobuf, gzip or not) are answered as OTLP says,
/// buffered, persisted, joined to sessions and reported by the telemetry API, one workspace never seeing another's.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class OtlpIngestTests(RunningStackFixture stack)
{
    private const string ClaudeSession = "0b1e4d3c-7a7e-4c55-9d1a-2f6f1c3e9a01";
    private const string CodexConversation = "019ae3f1-5c2b-7d10-8e4f-3a2b1c0d9e8f";
    private static readonly TimeSpan PersistTimeout = TimeSpan.FromSeconds(60);

    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Claude_code_events_in_json_and_metrics_in_protobuf_make_a_telemetry_only_session_with_the_reported_numbers()
    {
        using var collector = await CollectorClient.RegisterAsync(App);

        using var logs = await PostAsync(collector.Http, "/v1/logs", Fixture("claude-code-logs.json"), "application/json");
        using var metrics = await PostAsync(collector.Http, "/v1/metrics", MetricsProtobuf("claude-code-metrics.json"), "application/x-protobuf");

        Assert.Equal((HttpStatusCode.OK, "application/json", "{}"), (logs.StatusCode, logs.Content.Headers.ContentType?.MediaType, await logs.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.OK, "application/x-protobuf", 0), (metrics.StatusCode, metrics.Content.Headers.ContentType?.MediaType, (await metrics.Content.ReadAsByteArrayAsync()).Length));

        var conversation = await TelemetryOnlyConversationAsync(collector.WorkspaceId, ClaudeSession);
        var telemetry = await SessionTelemetryAsync(collector.WorkspaceId, conversation, t => t.GetProperty("reported").GetProperty("metric_points").GetInt64() == 14 && t.GetProperty("reported").GetProperty("events").GetInt64() == 5);
        Assert.True(telemetry.GetProperty("telemetry_only").GetBoolean());
        Assert.Equal("claude-code", telemetry.GetProperty("agent_type").GetString());
        var reported = telemetry.GetProperty("reported");
        // Cost and tokens from the metrics (0.25 + 0.5; one point per token type), not from the api_request event too.
        Assert.Equal(0.75, reported.GetProperty("cost_usd").GetDouble(), 6);
        Assert.Equal((1000, 200, 5000, 300), (Long(reported, "input_tokens"), Long(reported, "output_tokens"), Long(reported, "cache_read_tokens"), Long(reported, "cache_creation_tokens")));
        Assert.Equal((40, 7, 2, 1), (Long(reported, "lines_added"), Long(reported, "lines_removed"), Long(reported, "commits"), Long(reported, "pull_requests")));
        Assert.Equal((42.5, 17.25), (reported.GetProperty("active_time_user_seconds").GetDouble(), reported.GetProperty("active_time_cli_seconds").GetDouble()));
        Assert.Equal((0, 1), (Long(reported, "tool_decisions_accepted"), Long(reported, "tool_decisions_rejected")));
        Assert.Equal((2, 1), (Long(reported, "api_requests"), Long(reported, "api_errors")));
        Assert.Equal(1493, reported.GetProperty("api_latency_average_ms").GetDouble());
        var decision = Assert.Single(telemetry.GetProperty("tool_decisions").EnumerateArray());
        Assert.Equal(("reject", "user_reject", 1), (decision.GetProperty("decision").GetString(), decision.GetProperty("source").GetString(), Long(decision, "count")));
        var error = Assert.Single(telemetry.GetProperty("api_errors").EnumerateArray());
        Assert.Equal(529, error.GetProperty("status_code").GetInt32());
        // The email is on two events (the prompt and the API request) and on all 14 points.
        var person = Assert.Single(telemetry.GetProperty("people").EnumerateArray());
        Assert.Equal(("ada@example.com", 16L), (person.GetProperty("user_email").GetString(), Long(person, "records")));
    }

    [Fact]
    public async Task Codex_telemetry_sent_first_joins_the_transcript_uploaded_later()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        using var logs = await PostAsync(collector.Http, "/v1/logs", Gzip(Fixture("codex-logs.json")), "application/json", gzip: true);
        Assert.Equal(HttpStatusCode.OK, logs.StatusCode);
        var telemetryConversation = await TelemetryOnlyConversationAsync(collector.WorkspaceId, CodexConversation);

        var transcriptConversation = await collector.SendPersistedAsync(App, CodexConversation,
        [
            new { type = "session_start", emitted_at = "2025-12-06T05:46:39Z", sequence = 1L, data = new { agent_type = "codex", working_directory = "/work" } },
            CollectorClient.Message(0, sequence: 2),
            CollectorClient.Message(1, sequence: 3),
        ]);

        Assert.Equal(telemetryConversation, transcriptConversation);
        var telemetry = await SessionTelemetryAsync(collector.WorkspaceId, transcriptConversation, t => !t.GetProperty("telemetry_only").GetBoolean());
        Assert.False(telemetry.GetProperty("telemetry_only").GetBoolean());
        var reported = telemetry.GetProperty("reported");
        Assert.Equal((1200, 30, 800), (Long(reported, "input_tokens"), Long(reported, "output_tokens"), Long(reported, "cache_read_tokens")));
        Assert.Equal((1, 1, 2, 1), (Long(reported, "tool_decisions_accepted"), Long(reported, "tool_decisions_rejected"), Long(reported, "api_requests"), Long(reported, "api_errors")));
        Assert.Equal(500, Assert.Single(telemetry.GetProperty("api_errors").EnumerateArray()).GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task Bad_bodies_are_refused_with_otlp_statuses_and_bad_records_with_partial_success()
    {
        using var collector = await CollectorClient.RegisterAsync(App);

        using var garbage = await PostAsync(collector.Http, "/v1/logs", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01], "application/x-protobuf");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(3, CatSyphon.Telemetry.Otlp.Wire.Status.Parser.ParseFrom(await garbage.Content.ReadAsByteArrayAsync()).Code);

        using var notJson = await PostAsync(collector.Http, "/v1/metrics", "{\"resourceMetrics\":"u8.ToArray(), "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(3, (await CollectorClient.ReadJsonAsync(notJson)).GetProperty("code").GetInt32());

        using var text = await PostAsync(collector.Http, "/v1/logs", "hello"u8.ToArray(), "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);

        // 6 MiB of JSON that gzip packs into a few kilobytes: past the 4 MiB cap once inflated.
        var bomb = Encoding.UTF8.GetBytes("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"x\",\"value\":{\"stringValue\":\""
            + new string('a', 6 * 1024 * 1024) + "\"}}]}}]}");
        using var inflated = await PostAsync(collector.Http, "/v1/logs", Gzip(bomb), "application/json", gzip: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, inflated.StatusCode);

        const string partly = """
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[
              {"timeUnixNano":"1765000000000000000","attributes":[{"key":"event.name","value":{"stringValue":"codex.user_prompt"}}]},
              {"timeUnixNano":"1000","attributes":[{"key":"event.name","value":{"stringValue":"codex.user_prompt"}}]}]}]}]}
            """;
        using var partial = await PostAsync(collector.Http, "/v1/logs", Encoding.UTF8.GetBytes(partly), "application/json");
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        var success = (await CollectorClient.ReadJsonAsync(partial)).GetProperty("partialSuccess");
        Assert.Equal("1", success.GetProperty("rejectedLogRecords").GetString());
        Assert.Contains("outside the accepted range", success.GetProperty("errorMessage").GetString());

        using var traces = await PostAsync(collector.Http, "/v1/traces", "{\"resourceSpans\":[]}"u8.ToArray(), "application/json");
        Assert.Equal((HttpStatusCode.OK, "{}"), (traces.StatusCode, await traces.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_key_that_is_not_a_collectors_is_401()
    {
        using var http = App.CreateHttpClient(ResourceNames.Api);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cs_live_" + new string('x', 40));

        using var response = await PostAsync(http, "/v1/logs", Fixture("claude-code-logs.json"), "application/json");
        using var anonymous = await PostAsync(App.CreateHttpClient(ResourceNames.Api), "/v1/metrics", Fixture("claude-code-metrics.json"), "application/json");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (response.StatusCode, anonymous.StatusCode));
    }

    [Fact]
    public async Task One_workspace_never_sees_another_workspaces_telemetry()
    {
        using var owner = await CollectorClient.RegisterAsync(App);
        using var other = await CollectorClient.RegisterAsync(App);
        using var sent = await PostAsync(owner.Http, "/v1/metrics", Fixture("claude-code-metrics.json"), "application/json");
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var conversation = await TelemetryOnlyConversationAsync(owner.WorkspaceId, ClaudeSession);

        using var admin = App.CreateAdminClient();
        var ownerSummary = await Poll.LatestAsync(
            () => admin.GetFromJsonAsync<JsonElement>($"/api/stats/telemetry?workspace_id={owner.WorkspaceId}"),
            s => s.GetProperty("reported").GetProperty("metric_points").GetInt64() == 14, PersistTimeout);
        var otherSummary = await admin.GetFromJsonAsync<JsonElement>($"/api/stats/telemetry?workspace_id={other.WorkspaceId}");
        using var crossRead = await admin.GetAsync($"/api/conversations/{conversation}/telemetry?workspace_id={other.WorkspaceId}");

        Assert.Equal(0.75, ownerSummary.GetProperty("reported").GetProperty("cost_usd").GetDouble(), 6);
        Assert.Equal((1, 1), (Long(ownerSummary, "sessions"), Long(ownerSummary, "telemetry_only_sessions")));
        Assert.Equal("claude-code", Assert.Single(ownerSummary.GetProperty("by_agent").EnumerateArray()).GetProperty("agent_type").GetString());
        Assert.Equal((0, 0, 0.0), (Long(otherSummary, "sessions"), Long(otherSummary.GetProperty("reported"), "metric_points"), otherSummary.GetProperty("reported").GetProperty("cost_usd").GetDouble()));
        Assert.Equal(HttpStatusCode.NotFound, crossRead.StatusCode);
    }

    [Fact]
    public async Task Erasing_a_session_erases_its_telemetry_and_keeps_later_telemetry_out()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        using (var sent = await PostAsync(collector.Http, "/v1/logs", Fixture("claude-code-logs.json"), "application/json"))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        var conversation = await TelemetryOnlyConversationAsync(collector.WorkspaceId, ClaudeSession);
        await SessionTelemetryAsync(collector.WorkspaceId, conversation, t => t.GetProperty("reported").GetProperty("events").GetInt64() == 5);
        using var admin = App.CreateAdminClient();

        var job = await DataLifecycleStack.EraseAsync(admin, collector.WorkspaceId, "session", new { session_id = ClaudeSession });
        using (var again = await PostAsync(collector.Http, "/v1/logs", Fixture("claude-code-logs.json"), "application/json"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal((1, 5), (DataLifecycleStack.Count(job, "sessions"), DataLifecycleStack.Count(job, "agent_telemetry_events")));
        // The resent telemetry reaches the worker, which drops it for the tombstone: the workspace stays without any.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var summary = await admin.GetFromJsonAsync<JsonElement>($"/api/stats/telemetry?workspace_id={collector.WorkspaceId}");
        Assert.Equal((0, 0), (Long(summary, "sessions"), Long(summary.GetProperty("reported"), "events")));
        using var gone = await admin.GetAsync($"/api/conversations/{conversation}/telemetry?workspace_id={collector.WorkspaceId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static long Long(JsonElement element, string property) => element.GetProperty(property).GetInt64();

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "telemetry", name));

    private static byte[] MetricsProtobuf(string name) => OtlpJsonReader.Metrics(Fixture(name)).ToByteArray();

    private static byte[] Gzip(byte[] body)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Optimal))
        {
            gzip.Write(body);
        }

        return packed.ToArray();
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, byte[] body, string contentType, bool gzip = false)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return await http.PostAsync(path, content);
    }

    /// <summary>The conversation the worker creates for a session known only from its telemetry, once it is listed.</summary>
    private async Task<Guid> TelemetryOnlyConversationAsync(Guid workspace, string sessionId)
    {
        using var admin = App.CreateAdminClient();
        var listed = await Poll.LatestAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={workspace}"))
                .GetProperty("items").EnumerateArray().FirstOrDefault(c => c.GetProperty("session_id").GetString() == sessionId),
            c => c.ValueKind == JsonValueKind.Object, PersistTimeout);
        Assert.True(listed.ValueKind == JsonValueKind.Object, $"session {sessionId} was never listed");
        Assert.True(listed.GetProperty("telemetry_only").GetBoolean());
        return listed.GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> SessionTelemetryAsync(Guid workspace, Guid conversation, Func<JsonElement, bool> done)
    {
        using var admin = App.CreateAdminClient();
        return await Poll.LatestAsync(
            () => admin.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversation}/telemetry?workspace_id={workspace}"), done, PersistTimeout);
    }
}
