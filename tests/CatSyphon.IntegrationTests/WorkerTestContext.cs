using CatSyphon.Tests;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// Direct access to the running stack's PostgreSQL and Redis for the ingestion worker tests: a fresh
/// organization, workspace and collector inserted with SQL, and stream entries written as the API writes them.
/// </summary>
public sealed record WorkerTestContext(NpgsqlDataSource Database, ConnectionMultiplexer Redis, Guid WorkspaceId, Guid CollectorId)
    : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly DateTimeOffset BaseTime = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    public IDatabase RedisDatabase => Redis.GetDatabase();

    public static async Task<WorkerTestContext> CreateAsync(CatSyphonApp app)
    {
        var database = NpgsqlDataSource.Create(await app.GetConnectionStringAsync(ResourceNames.Database));
        var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync(ResourceNames.Redis));
        var (workspaceId, collectorId) = await CreateWorkspaceAndCollectorAsync(database);
        return new WorkerTestContext(database, redis, workspaceId, collectorId);
    }

    public static async Task<(Guid WorkspaceId, Guid CollectorId)> CreateWorkspaceAndCollectorAsync(NpgsqlDataSource database)
    {
        var organizationId = Guid.CreateVersion7();
        var workspaceId = Guid.CreateVersion7();
        var collectorId = Guid.CreateVersion7();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Command("INSERT INTO organizations (id, name, slug, created_at) VALUES ($1, $2, $2, now())",
            organizationId, "worker-org-" + suffix));
        batch.BatchCommands.Add(Command("""
            INSERT INTO workspaces (id, organization_id, name, slug, collector_registration, created_at, updated_at)
            VALUES ($1, $2, $3, $3, 'token', now(), now())
            """, workspaceId, organizationId, "worker-ws-" + suffix));
        batch.BatchCommands.Add(Command("""
            INSERT INTO collectors (id, workspace_id, collector_type, collector_version, hostname, api_key_hash, api_key_prefix,
                                    created_at, session_count, event_count)
            VALUES ($1, $2, 'test', '1.0', 'worker-tests', $3, 'cs_live_test', now(), 0, 0)
            """, collectorId, workspaceId, RandomNumberGenerator.GetBytes(32)));
        await batch.ExecuteNonQueryAsync();
        return (workspaceId, collectorId);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    public static BufferedEvent Event(string type, long sequence, object data, string? hash = null, DateTimeOffset? emittedAt = null) =>
        new(type, sequence, hash ?? $"h-{Guid.NewGuid():N}", emittedAt ?? BaseTime.AddSeconds(sequence), BaseTime.AddSeconds(sequence).AddMilliseconds(5),
            JsonSerializer.Serialize(data));

    public static BufferedEvent Message(long sequence, string role, string content, object? tokenUsage = null, string? model = null) =>
        Event("message", sequence, new Dictionary<string, object?>
        {
            ["author_role"] = role,
            ["message_type"] = role == "human" ? "prompt" : "response",
            ["content"] = content,
            ["model"] = model,
            ["token_usage"] = tokenUsage,
        }.Where(pair => pair.Value is not null).ToDictionary());

    /// <summary>
    /// A usage event as the collector's parsers send one: <c>token_usage</c> with the response's
    /// <c>usage_key</c> (none when null), <c>usage_from_sub_agent</c> for a sub-agent's copy, and <c>usage_model</c>.
    /// </summary>
    public static BufferedEvent Usage(long sequence, string? usageKey, long input, long output, long cacheCreation = 0, long cacheRead = 0,
        bool fromSubAgent = false, string model = "claude-opus-4-6", DateTimeOffset? emittedAt = null) =>
        Event("metadata", sequence, new Dictionary<string, object?>
        {
            ["kind"] = "usage",
            ["token_usage"] = new
            {
                input_tokens = input,
                output_tokens = output,
                cache_creation_input_tokens = cacheCreation,
                cache_read_input_tokens = cacheRead,
            },
            ["usage_key"] = usageKey,
            ["usage_from_sub_agent"] = fromSubAgent ? true : null,
            ["usage_model"] = model,
        }.Where(pair => pair.Value is not null).ToDictionary(), emittedAt: emittedAt);

    public BufferedBatch Batch(string sessionId, Guid conversationId, params BufferedEvent[] events) =>
        Entry(BufferedBatchKind.Events, sessionId, conversationId, events.Length, 202, 1.25) with { Events = events };

    public BufferedBatch Completion(string sessionId, Guid conversationId, string outcome, string? summary) =>
        Entry(BufferedBatchKind.Complete, sessionId, conversationId, 0, 200, 0.5) with
        {
            Completion = new BufferedCompletion(outcome, summary, null, null),
        };

    /// <summary>A stream entry of this context's collector, with the accepted job the API records for it.</summary>
    private BufferedBatch Entry(BufferedBatchKind kind, string sessionId, Guid conversationId, int events, int status, double durationMs) => new()
    {
        Kind = kind,
        WorkspaceId = WorkspaceId,
        CollectorId = CollectorId,
        SessionId = sessionId,
        ConversationId = conversationId,
        ReceivedAt = DateTimeOffset.UtcNow,
        Job = new BufferedJob(Guid.CreateVersion7(), WorkspaceId, CollectorId, sessionId, conversationId, events, events, 0,
            "accepted", status, null, DateTimeOffset.UtcNow, durationMs),
    };

    /// <summary>The shard stream of a session, as the API chooses it.</summary>
    public static RedisKey ShardOf(BufferedBatch batch) => IngestionRedisKeys.Shard(IngestionRedisKeys.ShardOf(batch.WorkspaceId, batch.SessionId));

    /// <summary>Appends a batch to its session's shard, as the API does.</summary>
    public Task<RedisValue> AddAsync(BufferedBatch batch) => AddRawAsync(ShardOf(batch), BufferedBatchSerializer.Serialize(batch));

    public async Task<RedisValue> AddRawAsync(RedisKey stream, RedisValue payload) =>
        await RedisDatabase.StreamAddAsync(stream, IngestionRedisKeys.PayloadField, payload);

    /// <summary>A new session id of this workspace whose entries go to the given shard.</summary>
    public string SessionInShard(int shard)
    {
        while (true)
        {
            var sessionId = $"worker-{Guid.NewGuid():N}";
            if (IngestionRedisKeys.ShardOf(WorkspaceId, sessionId) == shard)
            {
                return sessionId;
            }
        }
    }

    /// <summary>Waits for the dead letter of the given shard entry (the worker records the original id in field <c>id</c>).</summary>
    public async Task<StreamEntry> DeadLetterAsync(RedisValue originalId)
    {
        var found = await EventuallyAsync(
            async () => (await RedisDatabase.StreamRangeAsync(IngestionRedisKeys.DeadLetters, "-", "+"))
                .Where(entry => entry.Values is not null && entry["id"] == originalId)
                .Select(entry => (StreamEntry?)entry)
                .FirstOrDefault(),
            entry => entry is not null,
            $"entry {originalId} in the dead-letter stream");
        return found!.Value;
    }

    public async Task<bool> EntryExistsAsync(RedisKey stream, RedisValue id) =>
        (await RedisDatabase.StreamRangeAsync(stream, id, id)).Length > 0;

    public async Task<T?> ScalarAsync<T>(string sql, params object?[] parameters)
    {
        await using var command = Database.Command(sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>One row as column name -> value (null for SQL NULL); null when there is no row.</summary>
    public async Task<Dictionary<string, object?>?> RowAsync(string sql, params object?[] parameters)
    {
        var rows = await RowsAsync(sql, parameters);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<List<Dictionary<string, object?>>> RowsAsync(string sql, params object?[] parameters) => Database.RowsAsync(sql, parameters);

    /// <summary>The conversation row of a session of this workspace, or null.</summary>
    public Task<Dictionary<string, object?>?> ConversationAsync(string sessionId) =>
        RowAsync("SELECT * FROM conversations WHERE workspace_id = $1 AND session_id = $2", WorkspaceId, sessionId);

    /// <summary>Polls until <paramref name="probe"/> returns a value <paramref name="done"/> accepts, or fails at the deadline.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var limit = deadline ?? Deadline;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (stopwatch.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit} waiting for {what}; last value: {Describe(value)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the session's conversation has persisted up to <paramref name="sequence"/>.</summary>
    public Task<Dictionary<string, object?>?> PersistedAsync(string sessionId, long sequence) =>
        EventuallyAsync(
            () => ConversationAsync(sessionId),
            row => row is not null && (long)row["persisted_sequence"]! >= sequence,
            $"session {sessionId} persisted up to {sequence}");

    /// <summary>Waits until the stream holds none of the given entries any more (persisted entries are deleted).</summary>
    public Task WaitUntilDeletedAsync(RedisKey stream, params RedisValue[] ids) =>
        EventuallyAsync(
            async () =>
            {
                var left = 0;
                foreach (var id in ids)
                {
                    left += await EntryExistsAsync(stream, id) ? 1 : 0;
                }

                return left;
            },
            left => left == 0,
            $"entries {string.Join(", ", ids)} to leave {stream}");

    private static string Describe(object? value) => value switch
    {
        null => "null",
        Dictionary<string, object?> row => string.Join(", ", row.Select(pair => $"{pair.Key}={pair.Value}")),
        _ => value.ToString() ?? "",
    };

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
