namespace CatSyphon.IntegrationTests;

/// <summary>POST /collectors/events and the session endpoints, by the rules of the collector protocol.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class EventIngestionTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    private static string NewSession() => $"session-{Guid.NewGuid():N}";

    [Fact]
    public async Task Unsequenced_events_are_numbered_by_the_server_and_resends_are_duplicates()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var session = NewSession();

        var first = await collector.SendAcceptedAsync(session, CollectorClient.Messages(0, 20));
        var resend = await collector.SendAcceptedAsync(session, CollectorClient.Messages(10, 20));

        Assert.Equal((20, 0), CollectorClient.Counts(first));
        Assert.Equal(20, first.GetProperty("last_sequence").GetInt64());
        Assert.Equal((10, 10), CollectorClient.Counts(resend));
        Assert.Equal(30, resend.GetProperty("last_sequence").GetInt64());
        Assert.Equal(first.GetProperty("conversation_id").GetGuid(), resend.GetProperty("conversation_id").GetGuid());

        var status = await collector.SessionAsync(session);
        Assert.Equal(30, status.GetProperty("last_sequence").GetInt64());
        Assert.Equal(30, status.GetProperty("event_count").GetInt64());
        Assert.Equal("active", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_resend_after_the_session_left_redis_is_still_a_duplicate()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var session = NewSession();
        var first = await collector.SendAcceptedAsync(session, CollectorClient.Messages(0, 20));
        await collector.WaitForPersistedAsync(session, 20);

        // What an idle session's expiry does: PostgreSQL alone remembers it.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(await App.GetConnectionStringAsync(ResourceNames.Redis)))
        {
            var removed = await redis.GetDatabase().KeyDeleteAsync(
                [IngestionRedisKeys.SessionState(collector.WorkspaceId, session), IngestionRedisKeys.SessionHashes(collector.WorkspaceId, session)]);
            Assert.Equal(2, removed);
        }

        var resend = await collector.SendAcceptedAsync(session, CollectorClient.Messages(10, 15));

        Assert.Equal((5, 10), CollectorClient.Counts(resend));
        Assert.Equal(25, resend.GetProperty("last_sequence").GetInt64());
        Assert.Equal(first.GetProperty("conversation_id").GetGuid(), resend.GetProperty("conversation_id").GetGuid());
        Assert.Equal(25, (await collector.WaitForPersistedAsync(session, 25)).GetProperty("event_count").GetInt64());
    }

    [Fact]
    public async Task A_dead_letter_can_be_listed_and_replayed_onto_its_stream()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        using var admin = App.CreateAdminClient();
        var session = NewSession();
        var conversationId = Guid.CreateVersion7();
        var received = DateTimeOffset.UtcNow;
        var batch = new BufferedBatch
        {
            Kind = BufferedBatchKind.Events,
            WorkspaceId = collector.WorkspaceId,
            CollectorId = collector.CollectorId,
            SessionId = session,
            ConversationId = conversationId,
            ReceivedAt = received,
            Job = new BufferedJob(Guid.CreateVersion7(), collector.WorkspaceId, collector.CollectorId, session, conversationId, 2, 2, 0, "accepted", 202, null, received, 1),
            Events =
            [
                new BufferedEvent("message", 1, "dead-1", received, null, "{\"author_role\":\"human\",\"message_type\":\"prompt\",\"content\":\"one\"}"),
                new BufferedEvent("message", 2, "dead-2", received, null, "{\"author_role\":\"assistant\",\"message_type\":\"response\",\"content\":\"two\"}"),
            ],
        };
        string deadId;
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(await App.GetConnectionStringAsync(ResourceNames.Redis)))
        {
            deadId = (await redis.GetDatabase().StreamAddAsync(IngestionRedisKeys.DeadLetters,
            [
                new NameValueEntry(IngestionRedisKeys.PayloadField, BufferedBatchSerializer.Serialize(batch)),
                new NameValueEntry(IngestionRedisKeys.ErrorField, "simulated failure"),
                new NameValueEntry(IngestionRedisKeys.SourceField, (string)IngestionRedisKeys.Shard(IngestionRedisKeys.ShardOf(collector.WorkspaceId, session))!),
            ])).ToString();
        }

        var listed = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/dead-letters?workspace_id={collector.WorkspaceId}"));
        var entry = Assert.Single(listed.EnumerateArray(), item => item.GetProperty("id").GetString() == deadId);
        Assert.Equal("simulated failure", entry.GetProperty("error").GetString());
        Assert.Equal(session, entry.GetProperty("session_id").GetString());
        Assert.Equal(2, entry.GetProperty("events").GetInt32());

        using var replayed = await admin.PostAsync($"/api/ingestion/dead-letters/{deadId}/replay?workspace_id={collector.WorkspaceId}", null);
        using var again = await admin.PostAsync($"/api/ingestion/dead-letters/{deadId}/replay?workspace_id={collector.WorkspaceId}", null);

        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.DoesNotContain((await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/dead-letters?workspace_id={collector.WorkspaceId}"))).EnumerateArray(),
            item => item.GetProperty("id").GetString() == deadId);
        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        long stored = 0;
        for (var attempt = 0; attempt < 100 && stored < 2; attempt++)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.workspace_id = $1 AND c.session_id = $2", connection)
            {
                Parameters = { new() { Value = collector.WorkspaceId }, new() { Value = session } },
            };
            stored = (long)(await command.ExecuteScalarAsync())!;
            await Task.Delay(100);
        }

        Assert.Equal(2, stored);
    }

    [Fact]
    public async Task Ingestion_stats_count_the_workspace_batches_and_events()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        using var admin = App.CreateAdminClient();
        var session = NewSession();
        await collector.SendAcceptedAsync(session, CollectorClient.Messages(0, 30));
        await collector.SendAcceptedAsync(session, CollectorClient.Messages(0, 30));
        await collector.WaitForPersistedAsync(session, 30);

        JsonElement stats = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            stats = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/stats?workspace_id={collector.WorkspaceId}"));
            if (stats.GetProperty("batches").GetInt64() == 2)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(2, stats.GetProperty("batches").GetInt64());
        Assert.Equal(30, stats.GetProperty("events_accepted").GetInt64());
        Assert.Equal(30, stats.GetProperty("duplicates").GetInt64());
        Assert.Equal(1.0, stats.GetProperty("success_rate").GetDouble());
        Assert.True(stats.GetProperty("stream_lag").GetInt64() >= 0);
    }

    [Fact]
    public async Task Duplicates_inside_one_batch_are_stored_once()
    {
        using var collector = await CollectorClient.RegisterAsync(App);

        var answer = await collector.SendAcceptedAsync(NewSession(), [CollectorClient.Message(1), CollectorClient.Message(1), CollectorClient.Message(2, hash: "h-2"), CollectorClient.Message(3, hash: "h-2")]);

        Assert.Equal((2, 2), CollectorClient.Counts(answer));
    }

    [Fact]
    public async Task Sequenced_events_skip_what_was_accepted_and_a_gap_is_409_with_the_resend_point()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var session = NewSession();
        await collector.SendAcceptedAsync(session, CollectorClient.Messages(1, 5, sequenced: true));

        using var gap = await collector.SendAsync(session, CollectorClient.Messages(8, 3, sequenced: true));
        var overlap = await collector.SendAcceptedAsync(session, CollectorClient.Messages(4, 4, sequenced: true));

        Assert.Equal(HttpStatusCode.Conflict, gap.StatusCode);
        var problem = await CollectorClient.ReadJsonAsync(gap);
        Assert.EndsWith("/sequence-gap", problem.GetProperty("type").GetString());
        Assert.Equal(6, problem.GetProperty("expected_sequence").GetInt64());
        Assert.Equal(8, problem.GetProperty("received_sequence").GetInt64());
        Assert.Equal(5, problem.GetProperty("last_sequence").GetInt64());
        Assert.Equal((2, 2), CollectorClient.Counts(overlap));
        Assert.Equal(7, overlap.GetProperty("last_sequence").GetInt64());
        Assert.Equal(7, (await collector.SessionAsync(session)).GetProperty("event_count").GetInt64());
    }

    [Fact]
    public async Task Invalid_batches_are_refused_whole_with_the_fields_at_fault()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var session = NewSession();
        object[] mixed = [CollectorClient.Message(1, sequence: 1), CollectorClient.Message(2)];
        object[] unknownType = [CollectorClient.Message(1), new { type = "telepathy", emitted_at = "2026-11-01T10:00:00Z", data = new { } }];
        object[] missingField = [new { type = "tool_call", emitted_at = "2026-11-01T10:00:00Z", data = new { tool_name = "Bash", tool_use_id = "" } }];

        using var mixedAnswer = await collector.SendAsync(session, mixed);
        using var unknownAnswer = await collector.SendAsync(session, unknownType);
        using var missingAnswer = await collector.SendAsync(session, missingField);
        using var empty = await collector.SendAsync(session, []);
        using var longSession = await collector.SendAsync(new string('s', 256), CollectorClient.Messages(0, 1));
        using var malformed = await collector.Http.PostAsync("/collectors/events", new StringContent("{\"session_id\": \"x\", \"events\": [", Encoding.UTF8, "application/json"));

        foreach (var answer in new[] { mixedAnswer, unknownAnswer, missingAnswer, empty, longSession, malformed })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        }

        Assert.True((await CollectorClient.ReadJsonAsync(unknownAnswer)).GetProperty("errors").TryGetProperty("events[1].type", out _));
        Assert.True((await CollectorClient.ReadJsonAsync(missingAnswer)).GetProperty("errors").TryGetProperty("events[0].data.tool_use_id", out _));
        using var unknownSession = await collector.Http.GetAsync($"/collectors/sessions/{session}");
        Assert.Equal(HttpStatusCode.NotFound, unknownSession.StatusCode);
    }

    [Fact]
    public async Task More_than_fifty_events_is_413()
    {
        using var collector = await CollectorClient.RegisterAsync(App);

        using var answer = await collector.SendAsync(NewSession(), CollectorClient.Messages(0, 51));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Nul_characters_and_lone_surrogates_are_replaced_and_reported()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        const string body = """
            {"session_id": "nul-test", "events": [
              {"type": "message", "emitted_at": "2026-11-01T10:00:00Z",
               "data": {"author_role": "user", "message_type": "prompt", "content": "a\u0000b \ud800 c"}}]}
            """;

        using var answer = await collector.Http.PostAsync("/collectors/events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var accepted = await CollectorClient.ReadJsonAsync(answer);
        Assert.Equal(1, accepted.GetProperty("accepted").GetInt32());
        Assert.Contains(accepted.GetProperty("warnings").EnumerateArray(), warning => warning.GetString()!.Contains("content"));
    }

    [Fact]
    public async Task Sessions_are_scoped_by_workspace()
    {
        using var inA = await CollectorClient.RegisterAsync(App);
        using var inB = await CollectorClient.RegisterAsync(App);
        using var alsoInA = await CollectorClient.RegisterAsync(App, inA.WorkspaceId);
        var session = NewSession();

        var a = await inA.SendAcceptedAsync(session, CollectorClient.Messages(0, 3));
        var b = await inB.SendAcceptedAsync(session, CollectorClient.Messages(0, 3));

        Assert.NotEqual(a.GetProperty("conversation_id").GetGuid(), b.GetProperty("conversation_id").GetGuid());
        Assert.Equal(3, b.GetProperty("accepted").GetInt32());
        // Another collector of the same workspace may resume the session.
        Assert.Equal(a.GetProperty("conversation_id").GetGuid(), (await alsoInA.SessionAsync(session)).GetProperty("conversation_id").GetGuid());
        using var foreign = await inB.Http.GetAsync($"/collectors/sessions/{NewSession()}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task Eight_concurrent_senders_with_overlapping_batches_store_each_event_exactly_once()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var session = NewSession();
        const int events = 200;

        // Every sender sends all events, in batches of 20 starting at a different offset.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async sender =>
        {
            var results = new List<JsonElement>();
            for (var batch = 0; batch < events / 20; batch++)
            {
                var from = (sender * 20 + batch * 20) % events;
                results.Add(await collector.SendAcceptedAsync(session, CollectorClient.Messages(from, 20)));
            }

            return results;
        }));

        var all = answers.SelectMany(results => results).ToList();
        Assert.Equal(events, all.Sum(answer => answer.GetProperty("accepted").GetInt32()));
        Assert.Equal(7 * events, all.Sum(answer => answer.GetProperty("duplicates").GetInt32()));
        var status = await collector.WaitForPersistedAsync(session, events);
        Assert.Equal(events, status.GetProperty("event_count").GetInt64());
        Assert.Equal(events, status.GetProperty("last_sequence").GetInt64());
        Assert.Equal(events, status.GetProperty("persisted_sequence").GetInt64());
    }

    [Fact]
    public async Task Completion_checks_the_final_sequence_and_can_be_repeated()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var session = NewSession();
        await collector.SendAcceptedAsync(session, CollectorClient.Messages(1, 3, sequenced: true));

        using var early = await collector.Http.PostAsJsonAsync($"/collectors/sessions/{session}/complete", new { outcome = "success", final_sequence = 5 });
        using var done = await collector.Http.PostAsJsonAsync($"/collectors/sessions/{session}/complete", new { outcome = "success", summary = "did it", final_sequence = 3 });
        using var again = await collector.Http.PostAsJsonAsync($"/collectors/sessions/{session}/complete", new { outcome = "success" });
        using var unknown = await collector.Http.PostAsJsonAsync($"/collectors/sessions/{NewSession()}/complete", new { outcome = "success" });

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(4, (await CollectorClient.ReadJsonAsync(early)).GetProperty("expected_sequence").GetInt64());
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var completed = await CollectorClient.ReadJsonAsync(done);
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(3, completed.GetProperty("total_events").GetInt64());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("completed", (await collector.SessionAsync(session)).GetProperty("status").GetString());
    }
}
