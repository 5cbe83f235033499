using CatSyphon.Ingestion;
using CatSyphon.Protocol;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>The outcome of offering a batch to the buffer.</summary>
public abstract record BufferOutcome
{
    public sealed record Accepted(int Count, int Duplicates, long LastSequence, Guid ConversationId) : BufferOutcome;

    public sealed record SequenceGap(long ExpectedSequence, long ReceivedSequence, long LastSequence) : BufferOutcome;
}

/// <summary>
/// Sessions as Redis holds them: their sequence, dedup keys and the shard streams that buffer accepted
/// batches until the worker persists them. Each batch is accepted in one atomic script; a session
/// Redis does not know (new, or idle long enough to expire) is first seeded from PostgreSQL.
/// </summary>
public sealed class SessionBuffer(
    IConnectionMultiplexer redis, IServiceScopeFactory scopes, SessionDedupWindow dedup, IOptionsMonitor<IngestOptions> options, TimeProvider time)
{
    private const int AcceptedPlaceholder = -1111111;
    private const int DuplicatesPlaceholder = -2222222;
    private const long AfterSequencePlaceholder = -3333333;
    private const long ThroughSequencePlaceholder = -4444444;
    private static readonly byte[] EventsArrayMarker = "\"events\":[]"u8.ToArray();

    private IDatabase Database => redis.GetDatabase();

    private long TtlMilliseconds => (long)options.CurrentValue.SessionStateIdleTtl.TotalMilliseconds;

    public async Task<BufferOutcome> AcceptAsync(
        CollectorIdentity collector, EventBatchValidationResult batch, Guid jobId, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var sessionId = batch.SessionId!;
        var keys = SessionKeys(collector.WorkspaceId, sessionId);
        var events = batch.Events;
        var receivedAt = time.GetUtcNow();
        var ends = events.Any(e => e.Type == EventType.SessionEnd);

        var (head, tail, job) = BatchFrame(collector, sessionId, events.Count, jobId, startedAt, receivedAt);
        var (members, eventTails, tailEnds) = AcceptArguments.Pack(events);
        RedisValue[] arguments =
        [
            batch.HasSequences ? "seq" : "auto",
            TtlMilliseconds,
            ProtocolTimestamp.FormatCanonical(events.Min(e => e.EmittedAt)),
            ProtocolTimestamp.FormatCanonical(events.Max(e => e.EmittedAt)),
            ends ? "1" : "0",
            head,
            tail,
            job,
            events.Count,
            options.CurrentValue.DedupWindow,
            RedisValue.EmptyString,
            members,
            AcceptArguments.FirstSequence(events),
            eventTails,
            tailEnds,
        ];

        // Seed the session (again when a concurrent request's sequence gap removed the state it had just seeded),
        // look up what its dedup window cannot vouch for, accept.
        for (int seeds = 0, checks = 0; ;)
        {
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(SessionScripts.Accept, keys.AcceptKeys, arguments))!;
            switch ((string)result[0]!)
            {
                case "ok":
                    if (result.Length > 5)
                    {
                        // Nothing new reached the shard; the request's job still goes to the workers, after the script: the
                        // jobs stream has a hash tag of its own.
                        await Database.StreamAddAsync(IngestionRedisKeys.Jobs, IngestionRedisKeys.PayloadField, (byte[])result[5]!);
                    }

                    return new BufferOutcome.Accepted((int)result[1], (int)result[2], (long)result[3], Guid.Parse((string)result[4]!));
                case "gap":
                    return new BufferOutcome.SequenceGap((long)result[1], (long)result[2], (long)result[3]);
                case "seed" when seeds++ < 3:
                    await SeedAsync(collector.WorkspaceId, sessionId, keys, cancellationToken);
                    break;
                case "check" when checks++ == 0:
                    var candidates = result[2..].Select(index => (int)index).ToArray();
                    arguments[10] = await dedup.StoredMarksAsync(Guid.Parse((string)result[1]!), events, candidates, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"The session buffer answered '{result[0]}' for session state {keys.State}.");
            }
        }
    }

    /// <summary>Completes a session; null when neither Redis nor PostgreSQL knows it.</summary>
    public async Task<BufferOutcome?> CompleteAsync(
        CollectorIdentity collector, string sessionId, CompleteSessionRequest request, Guid jobId, CancellationToken cancellationToken)
    {
        var keys = SessionKeys(collector.WorkspaceId, sessionId);
        var receivedAt = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var conversationId = await Database.HashGetAsync(keys.State, "conversation_id");
            var batch = new BufferedBatch
            {
                Kind = BufferedBatchKind.Complete,
                WorkspaceId = collector.WorkspaceId,
                CollectorId = collector.CollectorId,
                SessionId = sessionId,
                ConversationId = conversationId.HasValue ? Guid.Parse(conversationId.ToString()) : Guid.Empty,
                ReceivedAt = receivedAt,
                Job = Job(collector, sessionId, jobId, receivedAt, receivedEvents: 0, accepted: 0, duplicates: 0),
                Completion = new BufferedCompletion(request.Outcome!, request.Summary, request.EventCount, request.FinalSequence),
            };
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
                SessionScripts.Complete,
                [keys.State, keys.Stream, keys.Hashes, keys.Order],
                [request.FinalSequence is { } final ? final : RedisValue.EmptyString, TtlMilliseconds, BufferedBatchSerializer.Serialize(batch)]))!;
            switch ((string)result[0]!)
            {
                case "ok":
                    return new BufferOutcome.Accepted((int)(long)result[1], 0, 0, Guid.Parse((string)result[2]!));
                case "gap":
                    return new BufferOutcome.SequenceGap((long)result[1], (long)result[2], (long)result[3]);
                case "seed" when attempt == 0:
                    if (!await SeedAsync(collector.WorkspaceId, sessionId, keys, cancellationToken, createIfMissing: false))
                    {
                        return null;
                    }

                    break;
                default:
                    throw new InvalidOperationException($"The session buffer answered '{result[0]}' for session state {keys.State}.");
            }
        }
    }

    /// <summary>
    /// The session as Redis knows it, else as PostgreSQL does (its <c>last_sequence</c> then what PostgreSQL holds
    /// without a hole, so a collector resends the rest); null when neither does.
    /// </summary>
    public async Task<SessionStatus?> GetStatusAsync(Guid workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var keys = SessionKeys(workspaceId, sessionId);
        var reading = Database.HashGetAsync(keys.State,
            ["conversation_id", "last_sequence", "persisted_sequence", "event_count", "first_event_at", "last_event_at", "status", "erased"]);
        var deadLetters = await CountDeadLettersAsync(workspaceId, sessionId);
        var fields = await reading;
        if (fields[7].HasValue)
        {
            // Erased: nothing is stored, as for a session never sent.
            return null;
        }

        if (fields[0].HasValue)
        {
            return new SessionStatus(
                sessionId, Guid.Parse(fields[0].ToString()), (long)fields[1], (long)fields[2], (long)fields[3],
                ParseTime(fields[4]), ParseTime(fields[5]), fields[6].ToString(), deadLetters);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatSyphonDbContext>();
        var stored = await db.Conversations.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.SessionId == sessionId)
            .Select(c => new SessionStatus(
                c.SessionId, c.Id, c.PersistedSequence, c.PersistedSequence, c.EventCount, c.FirstEventAt, c.LastEventAt,
                c.Status == ConversationStatus.Completed ? SessionStatuses.Completed : SessionStatuses.Active, 0))
            .FirstOrDefaultAsync(cancellationToken);
        return stored is null ? null : stored with { DeadLetters = deadLetters };
    }

    /// <summary>
    /// Counts a session's entries still in the dead letters; ids no longer there (replayed, deleted) are forgotten. Two
    /// steps, not one script: the dead letters are server-wide and the session's list has its shard's hash tag.
    /// </summary>
    private async Task<int> CountDeadLettersAsync(Guid workspaceId, string sessionId)
    {
        var listed = IngestionRedisKeys.SessionDeadLetters(workspaceId, sessionId);
        var count = 0;
        foreach (var id in await Database.SetMembersAsync(listed))
        {
            if ((await Database.StreamRangeAsync(IngestionRedisKeys.DeadLetters, id, id, count: 1)).Length > 0)
            {
                count++;
            }
            else
            {
                await Database.SetRemoveAsync(listed, id);
            }
        }

        return count;
    }

    /// <summary>
    /// Seeds a session's state from PostgreSQL (its most recent dedup keys first, then the state), or creates a new
    /// conversation id when PostgreSQL has none. Returns false when it has none and none is wanted. A session PostgreSQL
    /// holds a tombstone of (erased) gets a state that says so: its events are then answered as duplicates. The tombstone
    /// is looked up here only, once per session and Redis lifetime of its state, never per batch.
    /// </summary>
    private async Task<bool> SeedAsync(Guid workspaceId, string sessionId, SessionKeyset keys, CancellationToken cancellationToken, bool createIfMissing = true)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatSyphonDbContext>();
        var stored = await db.Conversations.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.SessionId == sessionId)
            .Select(c => new { c.Id, c.PersistedSequence, c.EventCount, c.Status })
            .FirstOrDefaultAsync(cancellationToken);

        var erased = stored is null
            && await db.ErasedSessions.AnyAsync(e => e.WorkspaceId == workspaceId && e.SessionId == sessionId, cancellationToken);
        if (stored is null && !erased && !createIfMissing)
        {
            return false;
        }

        if (stored is not null)
        {
            await SessionDedupWindow.LoadRecentAsync(db, Database, keys.Hashes, keys.Order, stored.Id, options.CurrentValue.DedupWindow, cancellationToken);
        }

        // PostgreSQL is the truth (after an idle expiry, a restore, a lost Redis): the sequence resumes from what it holds
        // without a hole, so collectors resend the rest; events it already holds are then recognised by their hashes.
        var lastSequence = stored?.PersistedSequence ?? 0;
        await Database.ScriptEvaluateAsync(SessionScripts.Seed, [keys.State, keys.Hashes, keys.Order],
        [
            (stored?.Id ?? Guid.CreateVersion7()).ToString(),
            lastSequence,
            stored?.PersistedSequence ?? 0,
            stored?.EventCount ?? 0,
            stored?.Status == ConversationStatus.Completed ? SessionStatuses.Completed : SessionStatuses.Active,
            TtlMilliseconds,
            erased ? "1" : "",
        ]);
        return true;
    }

    private (byte[] Head, byte[] Tail, byte[] Job) BatchFrame(
        CollectorIdentity collector, string sessionId, int receivedEvents, Guid jobId, DateTimeOffset startedAt, DateTimeOffset receivedAt)
    {
        var job = Job(collector, sessionId, jobId, startedAt, receivedEvents, AcceptedPlaceholder, DuplicatesPlaceholder);
        var frame = BufferedBatchSerializer.Serialize(new BufferedBatch
        {
            Kind = BufferedBatchKind.Events,
            WorkspaceId = collector.WorkspaceId,
            CollectorId = collector.CollectorId,
            SessionId = sessionId,
            ConversationId = Guid.Empty,
            AfterSequence = AfterSequencePlaceholder,
            ThroughSequence = ThroughSequencePlaceholder,
            ReceivedAt = receivedAt,
            Job = job,
        });
        var marker = frame.AsSpan().IndexOf(EventsArrayMarker);
        var split = marker + EventsArrayMarker.Length - 1;
        return (frame[..split], frame[split..], BufferedBatchSerializer.Serialize(job));
    }

    private BufferedJob Job(CollectorIdentity collector, string sessionId, Guid jobId, DateTimeOffset startedAt, int receivedEvents, int accepted, int duplicates) =>
        new(jobId, collector.WorkspaceId, collector.CollectorId, sessionId, null, receivedEvents, accepted, duplicates,
            "accepted", StatusCodes.Status202Accepted, null, startedAt, (time.GetUtcNow() - startedAt).TotalMilliseconds);

    private static DateTimeOffset? ParseTime(RedisValue value) =>
        value.HasValue && ProtocolTimestamp.TryParse(value.ToString(), out var parsed) ? parsed : null;

    private static SessionKeyset SessionKeys(Guid workspaceId, string sessionId) => new(
        IngestionRedisKeys.SessionState(workspaceId, sessionId),
        IngestionRedisKeys.SessionHashes(workspaceId, sessionId),
        IngestionRedisKeys.Shard(IngestionRedisKeys.ShardOf(workspaceId, sessionId)),
        IngestionRedisKeys.SessionHashOrder(workspaceId, sessionId));

    private sealed record SessionKeyset(RedisKey State, RedisKey Hashes, RedisKey Stream, RedisKey Order)
    {
        public RedisKey[] AcceptKeys => [State, Hashes, Stream, Order];
    }
}
