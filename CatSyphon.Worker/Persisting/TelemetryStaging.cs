using CatSyphon.Telemetry;
using NpgsqlTypes;

namespace CatSyphon.Worker.Persisting;

/// <summary>
/// A set's telemetry in two temporary tables, bulk-copied (binary COPY); the telemetry tables are then written from
/// them with <c>ON CONFLICT (batch_id, ordinal) DO NOTHING</c>, so a replayed entry stores nothing twice.
/// </summary>
internal static class TelemetryStaging
{
    // The columns both tables share, in COPY order.
    private const string SharedColumns =
        "workspace_id, collector_id, batch_id, ordinal, agent_type, session_id, user_email, account_id, model, tool_name, decision, decision_source, attributes, received_at";

    private const string EventColumns =
        SharedColumns + ", name, occurred_at, success, is_api_error, duration_ms, status_code, cost_usd, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens";

    private const string PointColumns =
        SharedColumns + ", metric, unit, kind, temporality, start_time, time, value, count, series_key, type";

    private const string SharedTypes = """
        workspace_id uuid NOT NULL, collector_id uuid NOT NULL, batch_id uuid NOT NULL, ordinal int NOT NULL, agent_type text, session_id text,
        user_email text, account_id text, model text, tool_name text, decision text, decision_source text, attributes jsonb NOT NULL,
        received_at timestamptz NOT NULL
        """;

    public static readonly string[] CreateTablesSql =
    [
        $"""
        CREATE TEMP TABLE t_telemetry_events ({SharedTypes}, name text NOT NULL, occurred_at timestamptz NOT NULL, success boolean,
            is_api_error boolean NOT NULL, duration_ms float8, status_code int, cost_usd float8, input_tokens bigint, output_tokens bigint,
            cache_read_tokens bigint, cache_creation_tokens bigint) ON COMMIT DROP
        """,
        $"""
        CREATE TEMP TABLE t_telemetry_points ({SharedTypes}, metric text NOT NULL, unit text, kind text NOT NULL, temporality smallint NOT NULL,
            start_time timestamptz, time timestamptz NOT NULL, value float8 NOT NULL, count bigint, series_key text NOT NULL, type text) ON COMMIT DROP
        """,
    ];

    /// <summary>
    /// The staged rows into the tables: a collector deleted meanwhile leaves its reference null, a workspace deleted
    /// meanwhile drops its rows, and an erased session's tombstone drops its telemetry as it drops its events.
    /// </summary>
    public static readonly string[] InsertSql = [Insert("agent_telemetry_events", "t_telemetry_events", EventColumns), Insert("agent_telemetry_points", "t_telemetry_points", PointColumns)];

    private static string Insert(string table, string staging, string columns) => $"""
        INSERT INTO {table} ({columns})
        SELECT {columns.Replace("collector_id", "(SELECT k.id FROM collectors k WHERE k.id = t.collector_id)")}
        FROM {staging} t
        WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = t.workspace_id)
          AND NOT EXISTS (SELECT 1 FROM erased_sessions e WHERE e.workspace_id = t.workspace_id AND e.session_id = t.session_id)
        ON CONFLICT (batch_id, ordinal) DO NOTHING
        """;

    public static async Task CopyEventsAsync(NpgsqlConnection connection, IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY t_telemetry_events ({EventColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var batch in batches)
        {
            for (var ordinal = 0; ordinal < batch.Events.Count; ordinal++)
            {
                var e = batch.Events[ordinal];
                await WriteSharedAsync(writer, batch, ordinal, new Shared(e.Agent, e.SessionId, e.UserEmail, e.AccountId, e.Model, e.ToolName, e.Decision, e.DecisionSource, e.Attributes), cancellationToken);
                await writer.WriteAsync(Text(e.Name) ?? "", NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteNullableAsync(e.Success, NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(e.IsApiError, NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteNullableAsync(e.DurationMs, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteNullableAsync(e.StatusCode, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteNullableAsync(e.CostUsd, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteNullableAsync(e.InputTokens, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteNullableAsync(e.OutputTokens, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteNullableAsync(e.CacheReadTokens, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteNullableAsync(e.CacheCreationTokens, NpgsqlDbType.Bigint, cancellationToken);
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    public static async Task CopyPointsAsync(NpgsqlConnection connection, IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY t_telemetry_points ({PointColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var batch in batches)
        {
            // Positions after the events': one request carries either, but the numbering never depends on it.
            for (var index = 0; index < batch.Points.Count; index++)
            {
                var p = batch.Points[index];
                await WriteSharedAsync(writer, batch, batch.Events.Count + index, new Shared(p.Agent, p.SessionId, p.UserEmail, p.AccountId, p.Model, p.ToolName, p.Decision, p.DecisionSource, p.Attributes), cancellationToken);
                await writer.WriteAsync(Text(p.Metric) ?? "", NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(Text(p.Unit), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(p.Kind.ToString().ToLowerInvariant(), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync((short)p.Temporality, NpgsqlDbType.Smallint, cancellationToken);
                await writer.WriteNullableAsync(p.StartTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(p.Time, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(p.Value, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteNullableAsync(p.Count, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(p.SeriesKey, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(Text(p.Type), NpgsqlDbType.Text, cancellationToken);
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>Starts the row and writes the columns both kinds share.</summary>
    private static async Task WriteSharedAsync(NpgsqlBinaryImporter writer, TelemetryBatch batch, int ordinal, Shared row, CancellationToken cancellationToken)
    {
        await writer.StartRowAsync(cancellationToken);
        await writer.WriteAsync(batch.WorkspaceId, NpgsqlDbType.Uuid, cancellationToken);
        await writer.WriteAsync(batch.CollectorId, NpgsqlDbType.Uuid, cancellationToken);
        await writer.WriteAsync(batch.Id, NpgsqlDbType.Uuid, cancellationToken);
        await writer.WriteAsync(ordinal, NpgsqlDbType.Integer, cancellationToken);
        foreach (var text in (string?[])[row.Agent, row.SessionId, row.UserEmail, row.AccountId, row.Model, row.ToolName, row.Decision, row.DecisionSource])
        {
            await writer.WriteNullableAsync(Text(text), NpgsqlDbType.Text, cancellationToken);
        }

        await writer.WriteAsync(ColumnText.SanitizeJson(row.Attributes), NpgsqlDbType.Jsonb, cancellationToken);
        await writer.WriteAsync(batch.ReceivedAt, NpgsqlDbType.TimestampTz, cancellationToken);
    }

    /// <summary>Text fit for a column: no NUL (PostgreSQL refuses it), bounded like the columns (the API bounds it already).</summary>
    private static string? Text(string? text) => ColumnText.Bounded(ColumnText.Clean(text), ColumnLimits.SessionId);

    /// <summary>The values both row kinds share.</summary>
    private readonly record struct Shared(
        string? Agent, string? SessionId, string? UserEmail, string? AccountId, string? Model, string? ToolName, string? Decision, string? DecisionSource, string Attributes);
}
