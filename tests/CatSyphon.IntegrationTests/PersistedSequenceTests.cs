namespace CatSyphon.IntegrationTests;

/// <summary>
/// A 202 is a promise: <c>persisted_sequence</c> never passes an event PostgreSQL does not hold, the session status
/// says the session is behind and counts its dead letters, and a session state seeded from PostgreSQL claims no more
/// than PostgreSQL holds without a hole.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class PersistedSequenceTests(RunningStackFixture stack) : IAsyncLifetime
{
    private readonly string marker = $"refused-{Guid.NewGuid():N}";
    private readonly string trigger = $"refuse_{Guid.NewGuid():N}"[..20];
    private NpgsqlDataSource? database;

    private CatSyphonApp App => stack.App;

    private NpgsqlDataSource Database => database ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>A trigger that makes PostgreSQL refuse any message carrying this test's marker: a worker failure that can be fixed.</summary>
    public async Task InitializeAsync()
    {
        database = NpgsqlDataSource.Create(await App.GetConnectionStringAsync(ResourceNames.Database));
        await ExecuteAsync($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.content LIKE '%{marker}%' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {trigger} BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION {trigger}();
            """);
    }

    public async Task DisposeAsync()
    {
        await FixAsync();
        await Database.DisposeAsync();
    }

    [Fact]
    public async Task A_dead_lettered_batch_holds_persisted_sequence_below_it_until_it_is_replayed()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var session = $"hole-{Guid.NewGuid():N}";
        await SendWithAFailingMiddleAsync(collector, session);

        var stuck = await WaitForDeadLetterAsync(collector, session);
        Assert.Equal(5, stuck.GetProperty("last_sequence").GetInt64());
        Assert.Equal(2, stuck.GetProperty("persisted_sequence").GetInt64());
        Assert.True(stuck.GetProperty("behind").GetBoolean());
        await Poll.UntilAsync(async () => await StoredSequencesAsync(collector, session) is [1, 2, 4, 5], TimeSpan.FromSeconds(60), "the entries around the hole");
        Assert.Equal(2L, (await ConversationAsync(collector, session))["persisted_sequence"]);
        Assert.Equal(2, (await collector.SessionAsync(session)).GetProperty("persisted_sequence").GetInt64());

        // Fixed, then replayed: the hole is filled and persisted_sequence moves over what was stored above it.
        await FixAsync();
        using var admin = App.CreateAdminClient();
        var letters = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/dead-letters?workspace_id={collector.WorkspaceId}&limit=1000"));
        var letter = letters.EnumerateArray().Single(item => item.GetProperty("session_id").GetString() == session);
        Assert.Contains("refused by the test", letter.GetProperty("error").GetString());
        (await admin.PostAsync($"/api/ingestion/dead-letters/{letter.GetProperty("id").GetString()}/replay?workspace_id={collector.WorkspaceId}", null)).EnsureSuccessStatusCode();

        var caught = await collector.WaitForPersistedAsync(session, 5);
        Assert.Equal(5, caught.GetProperty("persisted_sequence").GetInt64());
        Assert.False(caught.GetProperty("behind").GetBoolean());
        Assert.Equal(0, caught.GetProperty("dead_letters").GetInt32());
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, await StoredSequencesAsync(collector, session));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM sequence_ranges r JOIN conversations c ON c.id = r.conversation_id WHERE c.session_id = $1", session));
    }

    [Fact]
    public async Task A_state_seeded_from_postgresql_resumes_below_the_hole_and_a_resend_fills_it_once()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var session = $"reseed-{Guid.NewGuid():N}";
        await SendWithAFailingMiddleAsync(collector, session);
        await WaitForDeadLetterAsync(collector, session);
        await Poll.UntilAsync(async () => await StoredSequencesAsync(collector, session) is [1, 2, 4, 5], TimeSpan.FromSeconds(60), "the entries around the hole");

        // The state leaves Redis (idle, restore, lost Redis): PostgreSQL answers, and a new event is told to resend from 3.
        using (var redis = await ConnectionMultiplexer.ConnectAsync(await App.GetConnectionStringAsync(ResourceNames.Redis)))
        {
            await redis.GetDatabase().KeyDeleteAsync(
                [IngestionRedisKeys.SessionState(collector.WorkspaceId, session), IngestionRedisKeys.SessionHashes(collector.WorkspaceId, session)]);
        }

        var fromPostgres = await collector.SessionAsync(session);
        Assert.Equal(2, fromPostgres.GetProperty("last_sequence").GetInt64());
        Assert.Equal(1, fromPostgres.GetProperty("dead_letters").GetInt32());
        using var gap = await collector.SendAsync(session, [CollectorClient.Message(6, 6)]);
        Assert.Equal(HttpStatusCode.Conflict, gap.StatusCode);
        Assert.Equal(3, (await CollectorClient.ReadJsonAsync(gap)).GetProperty("expected_sequence").GetInt64());

        // Fixed; the collector resends 3 to 6: 4 and 5 are known by their hashes, nothing is stored twice.
        await FixAsync();
        var resent = await collector.SendAcceptedAsync(session,
            [CollectorClient.Message(3, 3, content: marker), CollectorClient.Message(4, 4), CollectorClient.Message(5, 5), CollectorClient.Message(6, 6)]);
        Assert.Equal(2, resent.GetProperty("accepted").GetInt32());
        Assert.Equal(2, resent.GetProperty("duplicates").GetInt32());
        var caught = await collector.WaitForPersistedAsync(session, 6);
        Assert.Equal(6, caught.GetProperty("persisted_sequence").GetInt64());
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, await StoredSequencesAsync(collector, session));
    }

    [Fact]
    public async Task A_first_batch_refused_with_a_sequence_gap_does_not_create_the_session()
    {
        using var collector = await CollectorClient.RegisterAsync(App);
        var session = $"gap-first-{Guid.NewGuid():N}";

        using var refused = await collector.SendAsync(session, [CollectorClient.Message(5, 5)]);
        using var status = await collector.Http.GetAsync($"/collectors/sessions/{session}");
        using var complete = await collector.Http.PostAsJsonAsync($"/collectors/sessions/{session}/complete", new { outcome = "success" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, complete.StatusCode);
        var accepted = await collector.SendAcceptedAsync(session, [CollectorClient.Message(1, 1)]);
        Assert.Equal(1, accepted.GetProperty("last_sequence").GetInt64());
        Assert.Equal(1, (await collector.WaitForPersistedAsync(session, 1)).GetProperty("persisted_sequence").GetInt64());
    }

    /// <summary>Sequences 1-2, 3 (refused by PostgreSQL until fixed) and 4-5, each batch a 202.</summary>
    private async Task SendWithAFailingMiddleAsync(CollectorClient collector, string session)
    {
        await collector.SendAcceptedAsync(session, [CollectorClient.Message(1, 1), CollectorClient.Message(2, 2)]);
        await collector.SendAcceptedAsync(session, [CollectorClient.Message(3, 3, content: marker)]);
        await collector.SendAcceptedAsync(session, [CollectorClient.Message(4, 4), CollectorClient.Message(5, 5)]);
    }

    private static async Task<JsonElement> WaitForDeadLetterAsync(CollectorClient collector, string session)
    {
        var status = default(JsonElement);
        await Poll.UntilAsync(async () => (status = await collector.SessionAsync(session)).GetProperty("dead_letters").GetInt32() == 1,
            TimeSpan.FromSeconds(90), "the refused batch to become a dead letter");
        return status;
    }

    private async Task<Dictionary<string, object?>> ConversationAsync(CollectorClient collector, string session) =>
        (await CompatibilityWire.QueryAsync(App, "SELECT * FROM conversations WHERE workspace_id = $1 AND session_id = $2", collector.WorkspaceId, session)).Single();

    private async Task<long[]> StoredSequencesAsync(CollectorClient collector, string session) =>
        [.. (await CompatibilityWire.QueryAsync(App, """
            SELECT m.sequence FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE c.workspace_id = $1 AND c.session_id = $2 ORDER BY m.sequence
            """, collector.WorkspaceId, session)).Select(row => (long)row["sequence"]!)];

    private async Task FixAsync() =>
        await ExecuteAsync($"DROP TRIGGER IF EXISTS {trigger} ON messages; DROP FUNCTION IF EXISTS {trigger}();");

    private async Task ExecuteAsync(string sql)
    {
        await using var command = Database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql, params object[] values)
    {
        await using var command = Database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
