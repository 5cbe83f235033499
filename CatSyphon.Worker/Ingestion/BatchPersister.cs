using System.IO.Hashing;
using System.Text;
using CatSyphon.Contracts;
using CatSyphon.Data;
using CatSyphon.Ingestion;
using CatSyphon.Protocol;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using StackExchange.Redis;

namespace CatSyphon.Worker.Ingestion;

/// <summary>
/// Persists a set of buffered batches (shard stream entries) in ONE PostgreSQL transaction.
/// </summary>
/// <remarks>
/// <para>
/// Idempotent by construction, so an entry persisted twice (a worker killed after COMMIT but before XACK,
/// a lease taken over mid-set) changes nothing the second time: the truth is the unique index
/// (conversation_id, event_hash). Events are bulk-copied into a temporary table and inserted with
/// <c>ON CONFLICT DO NOTHING RETURNING</c>; everything counted or derived (aggregates, token usage, tool
/// calls, collector counters, session start and end, plans, files) comes only from the rows that insert
/// returned. Conversations are inserted <c>ON CONFLICT (workspace_id, session_id) DO NOTHING</c> (the
/// existing id wins), jobs <c>ON CONFLICT (id) DO NOTHING</c>.
/// </para>
/// <para>
/// Sub-agent linking takes a transaction-scoped advisory lock per (workspace, session) involved, so a
/// parent and a child persisted concurrently by two shards can never both miss each other.
/// </para>
/// </remarks>
public sealed class BatchPersister(IngestionDatabase database, IConnectionMultiplexer redis, IOptions<IngestionWorkerOptions> options)
    : IStreamEntryPersister
{
    private const string CreateTempTablesSql = """
        CREATE TEMP TABLE t_events (
            conversation_id uuid NOT NULL, collector_id uuid NOT NULL, sequence bigint NOT NULL, event_hash text NOT NULL,
            event_type text NOT NULL, role text, message_type text, content text, thinking text, model text,
            input_tokens bigint, output_tokens bigint, cache_creation_tokens bigint, cache_read_tokens bigint,
            api_message_id text, request_id text, uuid text, parent_uuid text, stop_reason text, raw_data jsonb,
            emitted_at timestamptz NOT NULL, observed_at timestamptz, received_at timestamptz NOT NULL,
            tool_use_id text, tool_name text, tool_parameters jsonb, tool_result text, tool_success boolean, tool_error text,
            is_error boolean NOT NULL, usage_key text, usage_model text, usage_from_sub_agent boolean,
            usage_cache_creation_1h bigint, usage_fast boolean
        ) ON COMMIT DROP
        """;

    private const string CreateNewRowsTableSql =
        "CREATE TEMP TABLE t_new (id bigint NOT NULL, conversation_id uuid NOT NULL, event_hash text NOT NULL) ON COMMIT DROP";

    private const string CopySql = """
        COPY t_events (conversation_id, collector_id, sequence, event_hash, event_type, role, message_type, content, thinking, model,
                       input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, api_message_id, request_id, uuid,
                       parent_uuid, stop_reason, raw_data, emitted_at, observed_at, received_at, tool_use_id, tool_name,
                       tool_parameters, tool_result, tool_success, tool_error, is_error, usage_key, usage_model, usage_from_sub_agent,
                       usage_cache_creation_1h, usage_fast)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string InsertConversationsSql = """
        INSERT INTO conversations (id, workspace_id, collector_id, session_id, status, message_count, tool_call_count, event_count,
                                   last_sequence, persisted_sequence, has_plan, has_errors, created_at, updated_at)
        SELECT u.id, u.workspace_id, (SELECT k.id FROM collectors k WHERE k.id = u.collector_id), u.session_id, 'active',
               0, 0, 0, 0, 0, false, false, u.created_at, u.created_at
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[]) AS u(id, workspace_id, collector_id, session_id, created_at)
        ORDER BY u.workspace_id, u.session_id
        ON CONFLICT (workspace_id, session_id) DO NOTHING
        RETURNING id
        """;

    private const string SelectConversationsSql = """
        SELECT c.id, c.workspace_id, c.session_id
        FROM conversations c
        JOIN unnest($1::uuid[], $2::text[]) AS u(workspace_id, session_id) ON c.workspace_id = u.workspace_id AND c.session_id = u.session_id
        """;

    private const string InsertMessagesSql = """
        WITH inserted AS (
            INSERT INTO messages (conversation_id, sequence, event_hash, event_type, role, message_type, content, thinking, model,
                                  input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, api_message_id, request_id,
                                  uuid, parent_uuid, stop_reason, raw_data, emitted_at, observed_at, received_at)
            SELECT conversation_id, sequence, event_hash, event_type, role, message_type, content, thinking, model,
                   input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, api_message_id, request_id,
                   uuid, parent_uuid, stop_reason, raw_data, emitted_at, observed_at, received_at
            FROM t_events
            ORDER BY conversation_id, sequence
            ON CONFLICT (conversation_id, event_hash) DO NOTHING
            RETURNING id, conversation_id, event_hash)
        INSERT INTO t_new (id, conversation_id, event_hash) SELECT id, conversation_id, event_hash FROM inserted
        """;

    // One row per API response, from newly inserted events only (a replay changes nothing). The set's own copies of a
    // response are reduced to the best one first (a statement may not update a row twice), then the stored copy
    // gives way only to a better one, by the token ledger's rule: a main-session copy beats a sub-agent copy,
    // otherwise the strictly larger total wins. Rows go in key order so concurrent shards never deadlock on them.
    // Runs before the aggregates update, so while it waits on another shard's copy of a response it holds no lock
    // on a conversation row that the other shard may need (a parent linking its sub-agents).
    private const string UpsertTokenUsagesSql = """
        INSERT INTO token_usages AS t (workspace_id, usage_key, conversation_id, model, occurred_at, input_tokens, output_tokens,
                                       cache_creation_tokens, cache_read_tokens, from_sub_agent, cache_creation_1h_tokens, fast)
        SELECT DISTINCT ON (c.workspace_id, e.usage_key)
               c.workspace_id, e.usage_key, e.conversation_id, e.usage_model, e.emitted_at, COALESCE(e.input_tokens, 0),
               COALESCE(e.output_tokens, 0), COALESCE(e.cache_creation_tokens, 0), COALESCE(e.cache_read_tokens, 0), e.usage_from_sub_agent,
               e.usage_cache_creation_1h, e.usage_fast
        FROM t_new n
        JOIN t_events e ON e.conversation_id = n.conversation_id AND e.event_hash = n.event_hash
        JOIN conversations c ON c.id = e.conversation_id
        WHERE e.usage_key IS NOT NULL
        ORDER BY c.workspace_id, e.usage_key, e.usage_from_sub_agent,
                 COALESCE(e.input_tokens, 0) + COALESCE(e.output_tokens, 0) + COALESCE(e.cache_creation_tokens, 0)
                     + COALESCE(e.cache_read_tokens, 0) DESC,
                 e.emitted_at, e.conversation_id, e.sequence
        ON CONFLICT (workspace_id, usage_key) DO UPDATE SET
            conversation_id = EXCLUDED.conversation_id,
            model = EXCLUDED.model,
            occurred_at = EXCLUDED.occurred_at,
            input_tokens = EXCLUDED.input_tokens,
            output_tokens = EXCLUDED.output_tokens,
            cache_creation_tokens = EXCLUDED.cache_creation_tokens,
            cache_read_tokens = EXCLUDED.cache_read_tokens,
            from_sub_agent = EXCLUDED.from_sub_agent,
            cache_creation_1h_tokens = EXCLUDED.cache_creation_1h_tokens,
            fast = EXCLUDED.fast
        WHERE (t.from_sub_agent AND NOT EXCLUDED.from_sub_agent)
           OR (t.from_sub_agent = EXCLUDED.from_sub_agent
               AND EXCLUDED.input_tokens + EXCLUDED.output_tokens + EXCLUDED.cache_creation_tokens + EXCLUDED.cache_read_tokens
                   > t.input_tokens + t.output_tokens + t.cache_creation_tokens + t.cache_read_tokens)
        """;

    // Either half of a tool call may arrive first: each fills its own columns and keeps the other's.
    private const string UpsertToolCallsSql = """
        INSERT INTO tool_calls AS t (conversation_id, message_id, tool_use_id, tool_name, parameters, result, success, error_message,
                                     called_at, completed_at)
        SELECT e.conversation_id,
               (array_agg(n.id ORDER BY e.sequence) FILTER (WHERE e.event_type = 'tool_call'))[1],
               e.tool_use_id,
               (array_agg(e.tool_name ORDER BY e.sequence) FILTER (WHERE e.event_type = 'tool_call'))[1],
               (array_agg(e.tool_parameters ORDER BY e.sequence) FILTER (WHERE e.event_type = 'tool_call'))[1],
               (array_agg(e.tool_result ORDER BY e.sequence DESC) FILTER (WHERE e.event_type = 'tool_result'))[1],
               (array_agg(e.tool_success ORDER BY e.sequence DESC) FILTER (WHERE e.event_type = 'tool_result'))[1],
               (array_agg(e.tool_error ORDER BY e.sequence DESC) FILTER (WHERE e.event_type = 'tool_result'))[1],
               min(e.emitted_at) FILTER (WHERE e.event_type = 'tool_call'),
               max(e.emitted_at) FILTER (WHERE e.event_type = 'tool_result')
        FROM t_new n
        JOIN t_events e ON e.conversation_id = n.conversation_id AND e.event_hash = n.event_hash
        WHERE e.tool_use_id IS NOT NULL
        GROUP BY e.conversation_id, e.tool_use_id
        ORDER BY 1, 3
        ON CONFLICT (conversation_id, tool_use_id) DO UPDATE SET
            message_id = COALESCE(EXCLUDED.message_id, t.message_id),
            tool_name = COALESCE(EXCLUDED.tool_name, t.tool_name),
            parameters = COALESCE(EXCLUDED.parameters, t.parameters),
            called_at = COALESCE(EXCLUDED.called_at, t.called_at),
            result = COALESCE(EXCLUDED.result, t.result),
            success = COALESCE(EXCLUDED.success, t.success),
            error_message = COALESCE(EXCLUDED.error_message, t.error_message),
            completed_at = COALESCE(EXCLUDED.completed_at, t.completed_at)
        """;

    // Counts only rows this transaction inserted. A replay matches no row here and changes nothing.
    // persisted_sequence is PersistedProgress's.
    private const string UpdateAggregatesSql = """
        UPDATE conversations c SET
            event_count = c.event_count + a.events,
            message_count = c.message_count + a.messages,
            tool_call_count = c.tool_call_count + a.tool_calls,
            first_event_at = LEAST(c.first_event_at, a.first_event_at),
            last_event_at = GREATEST(c.last_event_at, a.last_event_at),
            last_sequence = GREATEST(c.last_sequence, a.max_sequence),
            has_errors = c.has_errors OR a.has_errors,
            updated_at = now()
        FROM (
            SELECT e.conversation_id,
                   count(n.id)::int AS events,
                   (count(n.id) FILTER (WHERE e.event_type = 'message'))::int AS messages,
                   (count(n.id) FILTER (WHERE e.event_type = 'tool_call'))::int AS tool_calls,
                   min(e.emitted_at) FILTER (WHERE n.id IS NOT NULL) AS first_event_at,
                   max(e.emitted_at) FILTER (WHERE n.id IS NOT NULL) AS last_event_at,
                   max(e.sequence) AS max_sequence,
                   COALESCE(bool_or(e.is_error) FILTER (WHERE n.id IS NOT NULL), false) AS has_errors
            FROM t_events e
            LEFT JOIN t_new n ON n.conversation_id = e.conversation_id AND n.event_hash = e.event_hash
            GROUP BY e.conversation_id
        ) a
        WHERE c.id = a.conversation_id
          AND (a.events > 0 OR a.max_sequence > c.last_sequence)
        """;

    private const string SelectNewLifecycleEventsSql = """
        SELECT n.conversation_id, n.event_hash
        FROM t_new n
        JOIN t_events e ON e.conversation_id = n.conversation_id AND e.event_hash = n.event_hash
        WHERE e.event_type IN ('session_start', 'session_end', 'tool_call')
        """;

    private const string CountNewSql = "SELECT count(*) FROM t_new";

    // The search documents of the newly stored events that carry text (what was said and thought).
    private const string InsertSearchVectorsSql = $"""
        INSERT INTO message_search (message_id, conversation_id, search_vector)
        SELECT m.id, m.conversation_id, {MessageSearch.VectorSql}
        FROM t_new n JOIN messages m ON m.id = n.id
        WHERE m.content IS NOT NULL OR m.thinking IS NOT NULL
        """;

    private const string InsertProjectsSql = """
        INSERT INTO projects (id, workspace_id, directory, name, created_at)
        SELECT u.id, u.workspace_id, u.directory, u.name, now()
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS u(id, workspace_id, directory, name)
        ORDER BY u.workspace_id, u.directory
        ON CONFLICT (workspace_id, directory) DO NOTHING
        """;

    private const string InsertDevelopersSql = """
        INSERT INTO developers (id, workspace_id, username, display_name, created_at)
        SELECT u.id, u.workspace_id, u.username, u.display_name, now()
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS u(id, workspace_id, username, display_name)
        ORDER BY u.workspace_id, u.username
        ON CONFLICT (workspace_id, username) DO NOTHING
        """;

    private const string ApplySessionStartSql = """
        UPDATE conversations c SET
            agent_type = COALESCE(u.agent_type, c.agent_type),
            agent_version = COALESCE(u.agent_version, c.agent_version),
            working_directory = COALESCE(u.working_directory, c.working_directory),
            git_branch = COALESCE(u.git_branch, c.git_branch),
            slug = COALESCE(u.slug, c.slug),
            hostname = COALESCE(u.hostname, c.hostname),
            parent_session_id = COALESCE(u.parent_session_id, c.parent_session_id),
            started_at = LEAST(c.started_at, u.started_at),
            project_id = COALESCE(
                (SELECT p.id FROM projects p WHERE p.workspace_id = c.workspace_id AND p.directory = u.working_directory), c.project_id),
            developer_id = COALESCE(
                (SELECT d.id FROM developers d WHERE d.workspace_id = c.workspace_id AND d.username = u.developer), c.developer_id),
            updated_at = now()
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[])
             AS u(id, agent_type, agent_version, working_directory, git_branch, slug, hostname, parent_session_id, started_at, developer)
        WHERE c.id = u.id
        """;

    private const string AdvisoryLocksSql = """
        SELECT pg_advisory_xact_lock(s.k) FROM (SELECT DISTINCT k FROM unnest($1::bigint[]) AS k ORDER BY k) s
        """;

    private const string LinkToParentsSql = """
        UPDATE conversations c SET parent_conversation_id = p.id
        FROM conversations p
        WHERE c.id = ANY($1::uuid[])
          AND c.parent_conversation_id IS NULL AND c.parent_session_id IS NOT NULL
          AND p.workspace_id = c.workspace_id AND p.session_id = c.parent_session_id AND p.id <> c.id
        """;

    private const string LinkChildrenSql = """
        UPDATE conversations ch SET parent_conversation_id = u.id
        FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS u(id, workspace_id, session_id)
        WHERE ch.workspace_id = u.workspace_id AND ch.parent_session_id = u.session_id
          AND ch.parent_conversation_id IS NULL AND ch.id <> u.id
        """;

    private const string CompleteSql = """
        UPDATE conversations c SET
            status = 'completed',
            outcome = COALESCE(u.outcome, c.outcome),
            summary = COALESCE(u.summary, c.summary),
            ended_at = COALESCE(u.ended_at, c.ended_at, u.fallback_ended_at),
            updated_at = now()
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
             AS u(id, outcome, summary, ended_at, fallback_ended_at)
        WHERE c.id = u.id
          AND (c.status <> 'completed'
               OR (u.outcome IS NOT NULL AND c.outcome IS DISTINCT FROM u.outcome)
               OR (u.summary IS NOT NULL AND c.summary IS DISTINCT FROM u.summary)
               OR (u.ended_at IS NOT NULL AND c.ended_at IS DISTINCT FROM u.ended_at)
               OR (c.ended_at IS NULL))
        """;

    private const string UpsertPlanSql = """
        INSERT INTO plans AS p (id, conversation_id, identifier, title, status, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $6)
        ON CONFLICT (conversation_id, identifier) DO UPDATE SET
            title = COALESCE(EXCLUDED.title, p.title),
            status = COALESCE(EXCLUDED.status, p.status),
            updated_at = EXCLUDED.updated_at
        """;

    // Each distinct content is one version, numbered after the plan's existing ones.
    private const string InsertPlanVersionsSql = """
        INSERT INTO plan_versions (id, plan_id, version, content, created_at)
        SELECT n.id, n.plan_id, n.base + row_number() OVER (ORDER BY n.ord), n.content, $5
        FROM (
            SELECT v.id, p.id AS plan_id, v.content, v.ord,
                   COALESCE((SELECT max(x.version) FROM plan_versions x WHERE x.plan_id = p.id), 0) AS base
            FROM plans p
            CROSS JOIN unnest($3::uuid[], $4::text[]) WITH ORDINALITY AS v(id, content, ord)
            WHERE p.conversation_id = $1 AND p.identifier = $2
              AND NOT EXISTS (SELECT 1 FROM plan_versions x WHERE x.plan_id = p.id AND x.content = v.content)
        ) n
        """;

    private const string MarkHasPlanSql = "UPDATE conversations SET has_plan = true WHERE id = ANY($1::uuid[]) AND NOT has_plan";

    private const string InsertFilesSql = """
        INSERT INTO files_touched (conversation_id, path, change_kind, lines_added, lines_deleted, touched_at)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::timestamptz[])
        """;

    // Collector rows are shared by every shard: lock them in id order (no deadlock), last (short hold).
    // NO KEY UPDATE, the lock the counter UPDATE takes anyway: it does not conflict with the KEY SHARE locks
    // that foreign keys (conversations, ingestion_jobs -> collectors) take, so two sets that both
    // reference a collector never deadlock upgrading their locks.
    private const string LockCollectorsSql = """
        SELECT k.id FROM collectors k WHERE k.id = ANY($1::uuid[]) ORDER BY k.id FOR NO KEY UPDATE
        """;

    private const string UpdateCollectorsSql = """
        UPDATE collectors k SET event_count = k.event_count + a.events, session_count = k.session_count + a.sessions
        FROM (
            SELECT collector_id, sum(events)::bigint AS events, sum(sessions)::bigint AS sessions
            FROM (
                SELECT e.collector_id, count(*) AS events, 0 AS sessions
                FROM t_new n JOIN t_events e ON e.conversation_id = n.conversation_id AND e.event_hash = n.event_hash
                GROUP BY e.collector_id
                UNION ALL
                SELECT s, 0, 1 FROM unnest($1::uuid[]) AS s
            ) x
            GROUP BY collector_id
        ) a
        WHERE k.id = a.collector_id
        """;

    /// <summary>Longer directories cannot be indexed (btree row limit); such a session keeps its directory without a project.</summary>
    private const int MaxProjectDirectoryLength = 2000;

    public async Task<PersistResult> PersistAsync(IReadOnlyList<StreamEntry> entries, CancellationToken cancellationToken)
    {
        var batches = new List<BufferedBatch>(entries.Count);
        foreach (var entry in entries)
        {
            batches.Add(Validate(BufferedBatchSerializer.Deserialize(StreamPayload.Read(entry))));
        }

        return batches.Count == 0 ? PersistResult.Empty : await PersistAsync(await ResolveConversationIdsAsync(batches), cancellationToken);
    }

    /// <summary>
    /// The API appends a session's batches before it knows whether the conversation row exists, and may
    /// leave <see cref="BufferedBatch.ConversationId"/> empty: the id in force is the session state's
    /// <c>conversation_id</c> (the one the API answered). Without a state (it expired), a new id is proposed:
    /// an existing conversation row keeps its own id anyway.
    /// </summary>
    private async Task<List<BufferedBatch>> ResolveConversationIdsAsync(List<BufferedBatch> batches)
    {
        var missing = batches.Where(b => b.ConversationId == Guid.Empty).Select(b => (b.WorkspaceId, b.SessionId)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return batches;
        }

        var db = redis.GetDatabase();
        var lookups = missing.Select(key => db.HashGetAsync(IngestionRedisKeys.SessionState(key.WorkspaceId, key.SessionId), "conversation_id")).ToList();
        await Task.WhenAll(lookups);
        var resolved = new Dictionary<(Guid, string), Guid>();
        for (var i = 0; i < missing.Count; i++)
        {
            var value = lookups[i].Result;
            resolved[missing[i]] = value.HasValue && Guid.TryParse(value.ToString(), out var id) && id != Guid.Empty ? id : Guid.CreateVersion7();
        }

        return [.. batches.Select(b => b.ConversationId == Guid.Empty ? b with { ConversationId = resolved[(b.WorkspaceId, b.SessionId)] } : b)];
    }

    private static BufferedBatch Validate(BufferedBatch batch)
    {
        if (string.IsNullOrEmpty(batch.SessionId) || batch.SessionId.Length > ColumnLimits.SessionId)
        {
            throw new FormatException("A buffered batch has no valid session id.");
        }

        if (batch.WorkspaceId == Guid.Empty)
        {
            throw new FormatException("A buffered batch has no workspace id.");
        }

        if (batch.Kind == BufferedBatchKind.Complete && batch.Completion is null)
        {
            throw new FormatException("A buffered completion has no completion.");
        }

        return batch;
    }

    public async Task<PersistResult> PersistAsync(IReadOnlyList<BufferedBatch> batches, CancellationToken cancellationToken)
    {
        if (batches.Count == 0)
        {
            return PersistResult.Empty;
        }

        var timeout = options.Value.CommandTimeoutSeconds;
        var sessions = batches
            .GroupBy(batch => (batch.WorkspaceId, batch.SessionId))
            .Select(group => new SessionKey(group.Key.WorkspaceId, group.Key.SessionId, group.First().ConversationId,
                group.First().CollectorId, group.Min(batch => batch.ReceivedAt).ToUniversalTime()))
            .ToList();

        // Parsed before the transaction: a malformed event fails the set without touching PostgreSQL.
        var parsed = new List<(BufferedBatch Batch, EventRow Row)>();
        foreach (var batch in batches)
        {
            foreach (var buffered in batch.Events ?? [])
            {
                parsed.Add((batch, EventProjection.Project(batch, buffered, batch.ConversationId)));
            }
        }

        // Advisory locks for sub-agent linking, taken first and in order so they never deadlock: every
        // session of the set, and the parent session of every session_start.
        var lockKeys = sessions.Select(s => LockKey(s.WorkspaceId, s.SessionId))
            .Concat(parsed.Where(p => p.Row.Start?.ParentSessionId is not null)
                .Select(p => LockKey(p.Batch.WorkspaceId, p.Row.Start!.ParentSessionId!)))
            .Distinct()
            .Order()
            .ToArray();

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // 1. Temporary tables, locks and conversations: a session already stored keeps its id.
        var created = new HashSet<Guid>();
        var conversationIds = new Dictionary<(Guid, string), Guid>();
        await using (var batch = Sql.Batch(connection, transaction, timeout))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateTempTablesSql));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateNewRowsTableSql));
            batch.BatchCommands.Add(Sql.Command(AdvisoryLocksSql, lockKeys));
            batch.BatchCommands.Add(Sql.Command(
                InsertConversationsSql,
                sessions.Select(s => s.ProposedId).ToArray(),
                sessions.Select(s => s.WorkspaceId).ToArray(),
                sessions.Select(s => s.CollectorId).ToArray(),
                sessions.Select(s => s.SessionId).ToArray(),
                sessions.Select(s => s.ReceivedAt).ToArray()));
            batch.BatchCommands.Add(Sql.Command(
                SelectConversationsSql,
                sessions.Select(s => s.WorkspaceId).ToArray(),
                sessions.Select(s => s.SessionId).ToArray()));

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

            // The advisory lock query's rows (one per key) come first.
            while (await reader.ReadAsync(cancellationToken))
            {
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                created.Add(reader.GetGuid(0));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                conversationIds[(reader.GetGuid(1), reader.GetString(2))] = reader.GetGuid(0);
            }
        }

        // 2. Rows, deduplicated within the set (the unique index does it across sets).
        var rows = new List<EventRow>(parsed.Count);
        var seen = new HashSet<(Guid, string)>();
        var lifecycle = new Dictionary<(Guid, string), EventRow>();
        foreach (var (batch, row) in parsed)
        {
            row.ConversationId = conversationIds[(batch.WorkspaceId, batch.SessionId)];
            if (!seen.Add((row.ConversationId, row.EventHash)))
            {
                continue;
            }

            rows.Add(row);
            if (row.Start is not null || row.End is not null || row.ToolFacts is not null)
            {
                lifecycle[(row.ConversationId, row.EventHash)] = row;
            }
        }

        long inserted = 0;
        var newStarts = new List<EventRow>();
        var newEnds = new List<EventRow>();
        var newToolFacts = new List<EventRow>();
        if (rows.Count > 0)
        {
            await CopyAsync(connection, rows, cancellationToken);

            // 3. Messages, token usage, tool calls and aggregates from what was newly inserted.
            await using var batch = Sql.Batch(connection, transaction, timeout);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertMessagesSql));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertSearchVectorsSql));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(UpsertTokenUsagesSql));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(UpsertToolCallsSql));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(UpdateAggregatesSql));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(CountNewSql));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(SelectNewLifecycleEventsSql));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                inserted = reader.GetInt64(0);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // Tool calls are listed too; only those with file or plan facts were kept.
                if (lifecycle.TryGetValue((reader.GetGuid(0), reader.GetString(1)), out var row))
                {
                    (row.Start is not null ? newStarts : row.End is not null ? newEnds : newToolFacts).Add(row);
                }
            }
        }

        // 4. How far each session is now stored without a hole, and this shard's commit count.
        var ranges = batches
            .Select(b => (Batch: b, Range: PersistedProgress.RangeOf(b)))
            .Where(item => item.Range is not null)
            .Select(item => (conversationIds[(item.Batch.WorkspaceId, item.Batch.SessionId)], item.Range!.Value.After, item.Range.Value.Through))
            .ToList();
        var shard = IngestionRedisKeys.ShardOf(batches[0].WorkspaceId, batches[0].SessionId);
        var (persisted, commit) = await PersistedProgress.AdvanceAsync(connection, transaction, timeout, shard, ranges, cancellationToken);

        // 5. Session start and end, sub-agent links, plans, files, jobs, collector counters.
        await using (var batch = Sql.Batch(connection, transaction, timeout))
        {
            AddSessionStarts(batch, newStarts, conversationIds, sessions);
            AddLinking(batch, newStarts, sessions, created, conversationIds);
            AddCompletions(batch, batches, newEnds, conversationIds);
            AddPlansAndFiles(batch, [.. newEnds.Select(row => (row, row.End!)), .. newToolFacts.Select(row => (row, row.ToolFacts!))]);

            // A batch's job belongs to the batch's conversation (the API may not know its id yet).
            var jobs = batches
                .Select(b => (b.Job, ConversationId: b.Job.ConversationId is null || b.Job.ConversationId == b.ConversationId
                    ? conversationIds[(b.WorkspaceId, b.SessionId)]
                    : b.Job.ConversationId))
                .ToList();
            batch.BatchCommands.Add(JobRows.Insert(jobs, IngestionOutcome.Accepted));

            var createdCollectors = sessions
                .Where(s => created.Contains(conversationIds[(s.WorkspaceId, s.SessionId)]))
                .Select(s => s.CollectorId)
                .ToArray();
            var collectors = batches.Select(b => b.CollectorId).Distinct().Order().ToArray();
            batch.BatchCommands.Add(Sql.Command(LockCollectorsSql, collectors));
            if (rows.Count > 0)
            {
                batch.BatchCommands.Add(Sql.Command(UpdateCollectorsSql, createdCollectors));
            }
            else if (createdCollectors.Length > 0)
            {
                batch.BatchCommands.Add(Sql.Command(
                    "UPDATE collectors SET session_count = session_count + 1 WHERE id = ANY($1::uuid[])", createdCollectors));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        var sessionOf = conversationIds.ToDictionary(pair => pair.Value, pair => pair.Key);
        return new PersistResult(
            inserted,
            rows.Count,
            [.. persisted.Select(pair => new SessionProgress(sessionOf[pair.Key].Item1, sessionOf[pair.Key].Item2, pair.Value))],
            commit);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, List<EventRow> rows, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(row.ConversationId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(row.CollectorId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(row.Sequence, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(row.EventHash, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(WireName.Of(row.EventType), NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.Role is { } role ? WireName.Of(role) : null, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.MessageType is { } type ? WireName.Of(type) : null, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.Content, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.Thinking, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.Model, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.InputTokens, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(writer, row.OutputTokens, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(writer, row.CacheCreationTokens, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(writer, row.CacheReadTokens, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(writer, row.ApiMessageId, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.RequestId, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.Uuid, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.ParentUuid, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.StopReason, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.RawData, NpgsqlDbType.Jsonb, cancellationToken);
            await writer.WriteAsync(row.EmittedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteAsync(writer, row.ObservedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(row.ReceivedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteAsync(writer, row.ToolUseId, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.ToolName, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.ToolParameters, NpgsqlDbType.Jsonb, cancellationToken);
            await WriteAsync(writer, row.ToolResult, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.ToolSuccess, NpgsqlDbType.Boolean, cancellationToken);
            await WriteAsync(writer, row.ToolError, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.IsError, NpgsqlDbType.Boolean, cancellationToken);
            await WriteAsync(writer, row.UsageKey, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.Usage?.Model, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.Usage?.FromSubAgent, NpgsqlDbType.Boolean, cancellationToken);
            await WriteAsync(writer, row.Usage?.CacheCreation1h, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(writer, row.Usage?.Fast, NpgsqlDbType.Boolean, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, type, cancellationToken);

    private static Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? writer.WriteAsync(present, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static void AddSessionStarts(NpgsqlBatch batch, List<EventRow> newStarts, Dictionary<(Guid, string), Guid> conversationIds, List<SessionKey> sessions)
    {
        if (newStarts.Count == 0)
        {
            return;
        }

        var workspaceOf = sessions.ToDictionary(s => conversationIds[(s.WorkspaceId, s.SessionId)], s => s.WorkspaceId);

        // One session_start per conversation and set: the first by sequence.
        var starts = newStarts
            .GroupBy(row => row.ConversationId)
            .Select(group => (Id: group.Key, Start: group.MinBy(row => row.Sequence)!.Start!))
            .ToList();

        var projects = starts
            .Where(s => s.Start.WorkingDirectory is { Length: > 0 and <= MaxProjectDirectoryLength })
            .Select(s => (WorkspaceId: workspaceOf[s.Id], Directory: s.Start.WorkingDirectory!, Name: s.Start.ProjectName!))
            .DistinctBy(p => (p.WorkspaceId, p.Directory))
            .ToList();
        if (projects.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(
                InsertProjectsSql,
                projects.Select(_ => Guid.CreateVersion7()).ToArray(),
                projects.Select(p => p.WorkspaceId).ToArray(),
                projects.Select(p => p.Directory).ToArray(),
                projects.Select(p => p.Name).ToArray()));
        }

        var developers = starts
            .Where(s => s.Start.Developer is not null)
            .Select(s => (WorkspaceId: workspaceOf[s.Id], Username: s.Start.Developer!, DisplayName: s.Start.DeveloperDisplayName))
            .DistinctBy(d => (d.WorkspaceId, d.Username))
            .ToList();
        if (developers.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(
                InsertDevelopersSql,
                developers.Select(_ => Guid.CreateVersion7()).ToArray(),
                developers.Select(d => d.WorkspaceId).ToArray(),
                developers.Select(d => d.Username).ToArray(),
                developers.Select(d => d.DisplayName).ToArray()));
        }

        batch.BatchCommands.Add(Sql.Command(
            ApplySessionStartSql,
            starts.Select(s => s.Id).ToArray(),
            starts.Select(s => s.Start.AgentType).ToArray(),
            starts.Select(s => s.Start.AgentVersion).ToArray(),
            starts.Select(s => s.Start.WorkingDirectory).ToArray(),
            starts.Select(s => s.Start.GitBranch).ToArray(),
            starts.Select(s => s.Start.Slug).ToArray(),
            starts.Select(s => s.Start.Hostname).ToArray(),
            starts.Select(s => s.Start.ParentSessionId).ToArray(),
            starts.Select(s => s.Start.StartedAt).ToArray(),
            starts.Select(s => s.Start.Developer).ToArray()));
    }

    /// <summary>
    /// Links this set's new children to known parents and this set's new conversations to children that
    /// arrived first. Both sides hold the advisory lock of (workspace, parent session id) since the start of
    /// their transactions: whichever commits second sees the other's row.
    /// </summary>
    private static void AddLinking(
        NpgsqlBatch batch, List<EventRow> newStarts, List<SessionKey> sessions, HashSet<Guid> created, Dictionary<(Guid, string), Guid> conversationIds)
    {
        var workspaceOf = sessions.ToDictionary(s => conversationIds[(s.WorkspaceId, s.SessionId)], s => s.WorkspaceId);
        var children = newStarts
            .Where(row => row.Start!.ParentSessionId is not null)
            .Select(row => (Id: row.ConversationId, WorkspaceId: workspaceOf[row.ConversationId], ParentSessionId: row.Start!.ParentSessionId!))
            .DistinctBy(child => child.Id)
            .ToList();
        var parents = sessions
            .Where(s => created.Contains(conversationIds[(s.WorkspaceId, s.SessionId)]))
            .Select(s => (Id: conversationIds[(s.WorkspaceId, s.SessionId)], s.WorkspaceId, s.SessionId))
            .ToList();
        if (children.Count == 0 && parents.Count == 0)
        {
            return;
        }

        if (children.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(LinkToParentsSql, children.Select(child => child.Id).ToArray()));
        }

        if (parents.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(
                LinkChildrenSql,
                parents.Select(parent => parent.Id).ToArray(),
                parents.Select(parent => parent.WorkspaceId).ToArray(),
                parents.Select(parent => parent.SessionId).ToArray()));
        }
    }

    private static void AddCompletions(NpgsqlBatch batch, IReadOnlyList<BufferedBatch> batches, List<EventRow> newEnds, Dictionary<(Guid, string), Guid> conversationIds)
    {
        var completions = new Dictionary<Guid, (string? Outcome, string? Summary, DateTimeOffset? EndedAt, DateTimeOffset? Fallback)>();
        foreach (var end in newEnds.OrderBy(row => row.Sequence))
        {
            var current = completions.GetValueOrDefault(end.ConversationId);
            completions[end.ConversationId] = (
                end.End!.Outcome ?? current.Outcome,
                end.End.Summary ?? current.Summary,
                end.End.EndedAt,
                current.Fallback);
        }

        foreach (var complete in batches.Where(b => b is { Kind: BufferedBatchKind.Complete, Completion: not null }))
        {
            var id = conversationIds[(complete.WorkspaceId, complete.SessionId)];
            var current = completions.GetValueOrDefault(id);
            completions[id] = (
                EventProjection.Clean(complete.Completion!.Outcome) ?? current.Outcome,
                EventProjection.Clean(complete.Completion.Summary) ?? current.Summary,
                current.EndedAt,
                current.Fallback ?? complete.ReceivedAt.ToUniversalTime());
        }

        if (completions.Count == 0)
        {
            return;
        }

        var list = completions.OrderBy(pair => pair.Key).ToList();
        batch.BatchCommands.Add(Sql.Command(
            CompleteSql,
            list.Select(pair => pair.Key).ToArray(),
            list.Select(pair => pair.Value.Outcome).ToArray(),
            list.Select(pair => pair.Value.Summary).ToArray(),
            list.Select(pair => pair.Value.EndedAt).ToArray(),
            list.Select(pair => pair.Value.Fallback).ToArray()));
    }

    private static void AddPlansAndFiles(NpgsqlBatch batch, List<(EventRow Row, SessionEndInfo Facts)> sources)
    {
        var withPlans = new HashSet<Guid>();
        foreach (var (end, facts) in sources.OrderBy(source => source.Row.Sequence))
        {
            foreach (var plan in facts.Plans)
            {
                batch.BatchCommands.Add(Sql.Command(
                    UpsertPlanSql, Guid.CreateVersion7(), end.ConversationId, plan.Identifier, plan.Title, plan.Status, facts.EndedAt));
                if (plan.Versions.Count > 0)
                {
                    batch.BatchCommands.Add(Sql.Command(
                        InsertPlanVersionsSql,
                        end.ConversationId,
                        plan.Identifier,
                        plan.Versions.Select(_ => Guid.CreateVersion7()).ToArray(),
                        plan.Versions.ToArray(),
                        facts.EndedAt));
                }

                withPlans.Add(end.ConversationId);
            }
        }

        if (withPlans.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(MarkHasPlanSql, withPlans.ToArray()));
        }

        var files = sources.SelectMany(source => source.Facts.Files.Select(file => (source.Row.ConversationId, File: file))).ToList();
        if (files.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(
                InsertFilesSql,
                files.Select(f => f.ConversationId).ToArray(),
                files.Select(f => f.File.Path).ToArray(),
                files.Select(f => f.File.ChangeKind).ToArray(),
                files.Select(f => f.File.LinesAdded).ToArray(),
                files.Select(f => f.File.LinesDeleted).ToArray(),
                files.Select(f => f.File.TouchedAt).ToArray()));
        }
    }

    /// <summary>A transaction-scoped advisory lock key for a session of a workspace.</summary>
    private static long LockKey(Guid workspaceId, string sessionId)
    {
        var hash = new XxHash64();
        hash.Append(workspaceId.ToByteArray());
        hash.Append(Encoding.UTF8.GetBytes(sessionId));
        return (long)hash.GetCurrentHashAsUInt64();
    }

    private sealed record SessionKey(Guid WorkspaceId, string SessionId, Guid ProposedId, Guid CollectorId, DateTimeOffset ReceivedAt);
}
