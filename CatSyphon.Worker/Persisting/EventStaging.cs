using NpgsqlTypes;

namespace CatSyphon.Worker.Persisting;

/// <summary>
/// The set's events in a temporary table <c>t_events</c>, bulk-copied (binary COPY) in one operation; every table is
/// then written from it. <c>t_new</c> lists the events the transaction newly inserted, and everything counted or
/// derived comes only from those.
/// </summary>
internal static class EventStaging
{
    private const string CreateEventsTableSql = """
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

    public static void AddTables(NpgsqlBatch batch)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateEventsTableSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateNewRowsTableSql));
    }

    public static async Task CopyAsync(NpgsqlConnection connection, List<EventRow> rows, CancellationToken cancellationToken)
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
            await writer.WriteNullableAsync(row.Role is { } role ? WireName.Of(role) : null, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.MessageType is { } type ? WireName.Of(type) : null, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.Content, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.Thinking, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.Model, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.InputTokens, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteNullableAsync(row.OutputTokens, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteNullableAsync(row.CacheCreationTokens, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteNullableAsync(row.CacheReadTokens, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteNullableAsync(row.ApiMessageId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.RequestId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.Uuid, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.ParentUuid, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.StopReason, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.RawData, NpgsqlDbType.Jsonb, cancellationToken);
            await writer.WriteAsync(row.EmittedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteNullableAsync(row.ObservedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(row.ReceivedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteNullableAsync(row.ToolUseId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.ToolName, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.ToolParameters, NpgsqlDbType.Jsonb, cancellationToken);
            await writer.WriteNullableAsync(row.ToolResult, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.ToolSuccess, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteNullableAsync(row.ToolError, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.IsError, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteNullableAsync(row.UsageKey, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.Usage?.Model, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(row.Usage?.FromSubAgent, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteNullableAsync(row.Usage?.CacheCreation1h, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteNullableAsync(row.Usage?.Fast, NpgsqlDbType.Boolean, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }
}
