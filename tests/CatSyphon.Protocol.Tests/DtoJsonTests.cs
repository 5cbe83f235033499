using static CatSyphon.Protocol.Tests.TestJson;

namespace CatSyphon.Protocol.Tests;

public class DtoJsonTests
{
    private static readonly Guid Id = Guid.Parse("0b7f5c1e-2a4d-4f7e-9a51-3c2d1e0f9a8b");

    [Fact]
    public void Accepted_answer_is_snake_case_with_warnings_always_present()
    {
        var json = JsonSerializer.Serialize(new EventBatchAccepted(3, 1, 7, Id, []), ProtocolJsonContext.Default.EventBatchAccepted);
        Assert.Equal($$"""{"accepted":3,"duplicates":1,"last_sequence":7,"conversation_id":"{{Id}}","warnings":[]}""", json);
    }

    [Fact]
    public void Timestamps_are_written_in_utc_with_z()
    {
        var created = new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.FromHours(2)).AddTicks(5);
        var json = JsonSerializer.Serialize(new RegisterCollectorResponse(Id, "cs_live_x", "cs_live_xxxx", Id, created), ProtocolJsonContext.Default.RegisterCollectorResponse);
        Assert.Contains("\"created_at\":\"2026-01-01T00:00:00.0000005Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"api_key_prefix\":\"cs_live_xxxx\"", json, StringComparison.Ordinal);

        var heartbeat = JsonSerializer.Serialize(new HeartbeatResponse(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(-5))), ProtocolJsonContext.Default.HeartbeatResponse);
        Assert.Equal("""{"server_time":"2026-03-01T17:00:00Z"}""", heartbeat);
    }

    [Fact]
    public void Answers_list_every_documented_field_even_when_null()
    {
        var info = new CollectorInfo(Id, Id, "watcher", "1.0", "host", DateTimeOffset.UnixEpoch, null, true, null);
        var json = JsonSerializer.Serialize(info, ProtocolJsonContext.Default.CollectorInfo);
        Assert.Contains("\"last_seen_at\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"revoked_at\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"created_at\":\"1970-01-01T00:00:00Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"active\":true", json, StringComparison.Ordinal);

        var withDates = info with { LastSeenAt = DateTimeOffset.UnixEpoch.AddSeconds(1), RevokedAt = DateTimeOffset.UnixEpoch.AddSeconds(2) };
        var json2 = JsonSerializer.Serialize(withDates, ProtocolJsonContext.Default.CollectorInfo);
        Assert.Contains("\"last_seen_at\":\"1970-01-01T00:00:01Z\"", json2, StringComparison.Ordinal);
        Assert.Contains("\"revoked_at\":\"1970-01-01T00:00:02Z\"", json2, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_status_round_trips()
    {
        var status = new SessionStatus("s/1", Id, 10, 8, 10, DateTimeOffset.UnixEpoch, null, SessionStatuses.Active, DeadLetters: 1);
        var json = JsonSerializer.Serialize(status, ProtocolJsonContext.Default.SessionStatus);
        Assert.Contains("\"persisted_sequence\":8", json, StringComparison.Ordinal);
        Assert.Contains("\"dead_letters\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"behind\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"behind\":false", JsonSerializer.Serialize(status with { PersistedSequence = 10 }, ProtocolJsonContext.Default.SessionStatus), StringComparison.Ordinal);
        Assert.Contains("\"status\":\"active\"", json, StringComparison.Ordinal);
        Assert.Equal(status, JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.SessionStatus));
    }

    [Fact]
    public void Clients_can_read_answers_with_offsets_or_unix_seconds()
    {
        var a = JsonSerializer.Deserialize("""{"server_time":"2026-01-01T01:00:00+01:00"}""", ProtocolJsonContext.Default.HeartbeatResponse)!;
        var b = JsonSerializer.Deserialize("""{"server_time":1767225600}""", ProtocolJsonContext.Default.HeartbeatResponse)!;
        Assert.Equal(a.ServerTime, b.ServerTime);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"server_time":"soon"}""", ProtocolJsonContext.Default.HeartbeatResponse));
    }

    [Fact]
    public void Event_batch_reads_snake_case_and_keeps_raw_elements()
    {
        var batch = Batch("""{"session_id":"abc","events":[{"type":"message","emitted_at":1767225600,"observed_at":"2026-01-01T00:00:01Z","sequence":4,"event_hash":"h","data":{"x":1},"unknown_field":true}],"extra":1}""");
        Assert.Equal("abc", batch.SessionId);
        var e = Assert.Single(batch.Events!)!;
        Assert.Equal("message", e.Type);
        Assert.Equal(JsonValueKind.Number, e.EmittedAt.ValueKind);
        Assert.Equal(JsonValueKind.String, e.ObservedAt!.Value.ValueKind);
        Assert.Equal(4, e.Sequence);
        Assert.Equal("h", e.EventHash);
        Assert.Equal("""{"x":1}""", e.Data.GetRawText());
    }

    [Fact]
    public void Lone_surrogates_in_batch_strings_survive_deserialization_for_the_validator()
    {
        var batch = Batch("""{"session_id":"a\ud800","events":[]}""");
        Assert.Equal("a\ud800", batch.SessionId);
    }

    [Fact]
    public void Request_strings_are_sanitized_on_read()
    {
        var request = JsonSerializer.Deserialize(
            $$$"""{"collector_type":"watcher","collector_version":"1.\u0000","hostname":"h\ud800","workspace_id":"{{{Id}}}","metadata":{"os":"mac"}}""",
            ProtocolJsonContext.Default.RegisterCollectorRequest)!;
        Assert.Equal("watcher", request.CollectorType);
        Assert.Equal("1.\uFFFD", request.CollectorVersion);
        Assert.Equal("h\uFFFD", request.Hostname);
        Assert.Equal(Id, request.WorkspaceId);
        Assert.Equal("mac", request.Metadata!.Value.GetProperty("os").GetString());

        var complete = JsonSerializer.Deserialize("""{"outcome":"ok\u0000","final_sequence":12,"event_count":3}""", ProtocolJsonContext.Default.CompleteSessionRequest)!;
        Assert.Equal("ok\uFFFD", complete.Outcome);
        Assert.Equal(12, complete.FinalSequence);
        Assert.Equal(3, complete.EventCount);
        Assert.Null(complete.Summary);

        var heartbeat = JsonSerializer.Deserialize("""{"queue_depth":5,"status":"idle"}""", ProtocolJsonContext.Default.HeartbeatRequest)!;
        Assert.Equal(5, heartbeat.QueueDepth);
        Assert.Null(heartbeat.Version);
    }

    [Fact]
    public void A_number_where_a_string_belongs_is_a_json_error_with_a_path()
    {
        var ex = Assert.Throws<JsonException>(() => Batch("""{"session_id":5,"events":[]}"""));
        Assert.Equal("session_id", EventBatchValidator.ErrorKeyFromJsonPath(ex.Path));
    }

    [Fact]
    public void A_client_batch_serializes_without_absent_fields()
    {
        var ev = new CollectorEvent("metadata", Element("\"2026-01-01T00:00:00Z\""), null, null, null, Element("""{"k":"v"}"""));
        var json = JsonSerializer.Serialize(new EventBatch("s1", [ev]), ProtocolJsonContext.Default.EventBatch);
        Assert.Equal("""{"session_id":"s1","events":[{"type":"metadata","emitted_at":"2026-01-01T00:00:00Z","data":{"k":"v"}}]}""", json);
        Assert.True(EventBatchValidator.Validate(Batch(json), Now).IsValid);
    }

    [Fact]
    public void Settings_hold_when_the_context_is_chained_into_web_options()
    {
        // What an ASP.NET app does with JsonOptions: camelCase web defaults plus this context.
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        web.TypeInfoResolverChain.Insert(0, ProtocolJsonContext.Default);

        var info = new CollectorInfo(Id, Id, "watcher", "1.0", "host", new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)), null, true, null);
        Assert.Equal(
            JsonSerializer.Serialize(info, ProtocolJsonContext.Default.CollectorInfo),
            JsonSerializer.Serialize(info, web));

        var batch = JsonSerializer.Deserialize<EventBatch>("""{"session_id":"a\ud800","events":[{"type":"metadata","emitted_at":0,"data":{}}]}""", web)!;
        Assert.Equal("a\ud800", batch.SessionId);
        Assert.Equal(JsonValueKind.Object, batch.Events![0]!.Data.ValueKind);
    }
}
