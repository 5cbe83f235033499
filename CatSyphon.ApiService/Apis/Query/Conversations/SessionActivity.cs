namespace CatSyphon.ApiService.Apis.Query.Conversations;

/// <summary>
/// The status the API reports, which is not the stored one: the collector protocol keeps a session <c>active</c> until
/// it is completed (and refuses events after that), but a session nobody ends (a closed terminal, a backfill of last
/// month) is over once its last event is older than <see cref="SessionActivityOptions.IdleAfter"/>.
/// </summary>
public sealed class SessionActivity(IOptions<SessionActivityOptions> options, TimeProvider time)
{
    /// <summary>A conversation <c>c</c> that is active now; the query names the cutoff <c>@activeSince</c>.</summary>
    internal const string ActiveSql = "(c.status = 'active' AND c.last_event_at IS NOT NULL AND c.last_event_at >= @activeSince)";

    /// <summary>
    /// The reported status, how the session ended (<c>end_reason</c>: the outcome reported with its end, <c>ended</c> for an
    /// end without one, <c>idle</c> when nothing was heard for the idle time) and when (an idle one at its last event).
    /// </summary>
    internal const string ColumnsSql = $"""
        CASE WHEN {ActiveSql} THEN 'active' ELSE 'completed' END AS status,
        CASE WHEN {ActiveSql} THEN NULL WHEN c.status = 'completed' THEN coalesce(c.outcome, 'ended') ELSE 'idle' END AS end_reason,
        CASE WHEN c.status = 'active' AND NOT {ActiveSql} THEN c.last_event_at ELSE c.ended_at END AS ended_at
        """;

    /// <summary>The <c>@activeSince</c> of a query run now: a last event at or after it keeps an active session active.</summary>
    public DateTimeOffset ActiveSince => time.GetUtcNow() - options.Value.IdleAfter;
}
