using System.Text;
using CatSyphon.Telemetry;
using CatSyphon.Telemetry.Otlp;

namespace CatSyphon.Worker.Tests.Persisting;

/// <summary>The telemetry lane's transaction against a real PostgreSQL and Redis: rows, telemetry-only sessions, replays.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class TelemetryPersisterTests(WorkerStores stores) : PersistingTest(stores)
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Events_and_points_are_stored_once_and_an_unknown_session_gets_a_telemetry_conversation()
    {
        var sessionId = $"claude-{Guid.NewGuid():N}";
        var entry = Entry(TelemetryBatchSerializer.Serialize(Batch(Logs(sessionId), Metrics(sessionId))));
        var persister = Stores.CreateTelemetryPersister();

        var first = await persister.PersistAsync([entry], CancellationToken.None);
        await persister.PersistAsync([entry], CancellationToken.None);

        Assert.Equal(3, first.EventsReceived);
        var events = await Stores.RowsAsync("SELECT * FROM agent_telemetry_events WHERE session_id = $1 ORDER BY ordinal", sessionId);
        Assert.Equal(["api_request", "tool_decision"], events.Select(e => (string)e["name"]!));
        Assert.Equal(("claude-code", 120L, "ada@example.com", Session.CollectorId), (events[0]["agent_type"], events[0]["input_tokens"], events[0]["user_email"], events[0]["collector_id"]));
        Assert.Equal(("reject", "user_reject"), (events[1]["decision"], events[1]["decision_source"]));
        var point = await Stores.RowAsync("SELECT * FROM agent_telemetry_points WHERE session_id = $1", sessionId);
        Assert.Equal(("claude_code.cost.usage", "sum", (short)2, 0.5, 2), (point["metric"], point["kind"], point["temporality"], point["value"], point["ordinal"]));

        var conversation = await Stores.RowAsync("SELECT * FROM conversations WHERE workspace_id = $1 AND session_id = $2", Session.WorkspaceId, sessionId);
        Assert.Equal((true, "claude-code", 0), (conversation["from_telemetry"], conversation["agent_type"], conversation["event_count"]));
    }

    [Fact]
    public async Task A_session_whose_events_redis_buffers_gets_no_telemetry_conversation()
    {
        var sessionId = $"claude-{Guid.NewGuid():N}";
        await Stores.Redis.GetDatabase().HashSetAsync(IngestionRedisKeys.SessionState(Session.WorkspaceId, sessionId), "conversation_id", Guid.CreateVersion7().ToString());

        await Stores.CreateTelemetryPersister().PersistAsync([Entry(TelemetryBatchSerializer.Serialize(Batch(Logs(sessionId), Metrics(sessionId))))], CancellationToken.None);

        Assert.Equal(2, await Stores.CountAsync("SELECT count(*) FROM agent_telemetry_events WHERE session_id = $1", sessionId));
        Assert.Equal(0, await Stores.CountAsync("SELECT count(*) FROM conversations WHERE session_id = $1", sessionId));
    }

    [Fact]
    public async Task An_erased_sessions_telemetry_is_dropped_and_brings_no_conversation_back()
    {
        var sessionId = $"claude-{Guid.NewGuid():N}";
        await using (var connection = await Stores.DataSource.OpenConnectionAsync())
        await using (var tombstone = new NpgsqlCommand("INSERT INTO erased_sessions (workspace_id, session_id, erased_at) VALUES ($1, $2, now())", connection)
                     {
                         Parameters = { new() { Value = Session.WorkspaceId }, new() { Value = sessionId } },
                     })
        {
            await tombstone.ExecuteNonQueryAsync();
        }

        await Stores.CreateTelemetryPersister().PersistAsync([Entry(TelemetryBatchSerializer.Serialize(Batch(Logs(sessionId), Metrics(sessionId))))], CancellationToken.None);

        Assert.Equal(0, await Stores.CountAsync("SELECT count(*) FROM agent_telemetry_events WHERE session_id = $1", sessionId));
        Assert.Equal(0, await Stores.CountAsync("SELECT count(*) FROM agent_telemetry_points WHERE session_id = $1", sessionId));
        Assert.Equal(0, await Stores.CountAsync("SELECT count(*) FROM conversations WHERE session_id = $1", sessionId));
    }

    private TelemetryBatch Batch(OtlpDecoded logs, OtlpDecoded metrics) => new()
    {
        Id = Guid.CreateVersion7(),
        WorkspaceId = Session.WorkspaceId,
        CollectorId = Session.CollectorId,
        ReceivedAt = ReceivedAt,
        Events = logs.Events,
        Points = metrics.Points,
    };

    private static OtlpDecoded Logs(string sessionId) => OtlpDecoder.DecodeLogs(Encoding.UTF8.GetBytes($$$"""
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeLogs":[{"logRecords":[
          {"timeUnixNano":"1765000000000000000","body":{"stringValue":"claude_code.api_request"},"attributes":[
            {"key":"event.name","value":{"stringValue":"api_request"}},{"key":"session.id","value":{"stringValue":"{{{sessionId}}}"}},
            {"key":"user.email","value":{"stringValue":"ada@example.com"}},{"key":"input_tokens","value":{"intValue":120}},
            {"key":"nul","value":{"stringValue":"a\u0000b"}}]},
          {"timeUnixNano":"1765000001000000000","body":{"stringValue":"claude_code.tool_decision"},"attributes":[
            {"key":"event.name","value":{"stringValue":"tool_decision"}},{"key":"session.id","value":{"stringValue":"{{{sessionId}}}"}},
            {"key":"decision","value":{"stringValue":"reject"}},{"key":"source","value":{"stringValue":"user_reject"}}]}]}]}]}
        """), OtlpEncoding.Json, ReceivedAt);

    private static OtlpDecoded Metrics(string sessionId) => OtlpDecoder.DecodeMetrics(Encoding.UTF8.GetBytes($$$"""
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeMetrics":[{"metrics":[
          {"name":"claude_code.cost.usage","unit":"USD","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
            {"timeUnixNano":"1765000060000000000","asDouble":0.5,"attributes":[{"key":"session.id","value":{"stringValue":"{{{sessionId}}}"}}]}]}}]}]}]}
        """), OtlpEncoding.Json, ReceivedAt);
}
