using CatSyphon.Contracts;
using CatSyphon.Data;
using CatSyphon.Ingestion;
using CatSyphon.Protocol;
using Npgsql;

namespace CatSyphon.Worker.Ingestion;

/// <summary>Writes <c>ingestion_jobs</c> rows in bulk; a job id already stored is left alone (replays add nothing).</summary>
internal static class JobRows
{
    // A job of a workspace deleted meanwhile is dropped; its collector or conversation may be unknown to
    // PostgreSQL (a refused request of a new session): those references are left null.
    private const string InsertSql = """
        INSERT INTO ingestion_jobs (id, workspace_id, collector_id, session_id, conversation_id, source, received_events,
                                    accepted, duplicates, outcome, http_status, error, started_at, duration_ms)
        SELECT u.id, u.workspace_id,
               (SELECT k.id FROM collectors k WHERE k.id = u.collector_id),
               u.session_id,
               (SELECT c.id FROM conversations c WHERE c.id = u.conversation_id),
               'collector', u.received_events, u.accepted, u.duplicates, u.outcome, u.http_status, u.error, u.started_at, u.duration_ms
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::int[], $7::int[], $8::int[], $9::text[],
                    $10::int[], $11::text[], $12::timestamptz[], $13::float8[])
             AS u(id, workspace_id, collector_id, session_id, conversation_id, received_events, accepted, duplicates, outcome,
                  http_status, error, started_at, duration_ms)
        WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = u.workspace_id)
        ORDER BY u.id
        ON CONFLICT (id) DO NOTHING
        """;

    public static NpgsqlBatchCommand Insert(IReadOnlyList<(BufferedJob Job, Guid? ConversationId)> jobs, IngestionOutcome defaultOutcome)
    {
        var unique = jobs.DistinctBy(item => item.Job.Id).ToList();
        return Sql.Command(
            InsertSql,
            unique.Select(item => item.Job.Id).ToArray(),
            unique.Select(item => item.Job.WorkspaceId).ToArray(),
            unique.Select(item => item.Job.CollectorId).ToArray(),
            unique.Select(item => EventProjection.Bounded(EventProjection.Clean(item.Job.SessionId) ?? "", ColumnLimits.SessionId)).ToArray(),
            unique.Select(item => item.ConversationId).ToArray(),
            unique.Select(item => item.Job.ReceivedEvents).ToArray(),
            unique.Select(item => item.Job.Accepted).ToArray(),
            unique.Select(item => item.Job.Duplicates).ToArray(),
            unique.Select(item => WireName.Of(Outcome(item.Job.Outcome, defaultOutcome))).ToArray(),
            unique.Select(item => (int?)item.Job.HttpStatus).ToArray(),
            unique.Select(item => EventProjection.Clean(item.Job.Error)).ToArray(),
            unique.Select(item => item.Job.StartedAt.ToUniversalTime()).ToArray(),
            unique.Select(item => double.IsFinite(item.Job.DurationMs) ? (double?)item.Job.DurationMs : null).ToArray());
    }

    private static IngestionOutcome Outcome(string? text, IngestionOutcome fallback) =>
        WireName.TryParse<IngestionOutcome>(text?.Trim().ToLowerInvariant(), out var outcome) ? outcome.Value : fallback;
}
