using System.ComponentModel.DataAnnotations;

namespace CatSyphon.Data;

/// <summary>
/// When a session counts as over (configuration section <c>Sessions</c>), one setting for the API, which shows such a
/// session as completed, and the worker, which then computes its insights. A collector's session has no reliable end
/// (a terminal closed, a backfill of last month): its last event is the only evidence.
/// </summary>
public sealed class SessionActivityOptions
{
    public const string SectionName = "Sessions";

    /// <summary>A session whose last event is older than this is no longer active.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Whether a session of <paramref name="status"/> whose last event was at <paramref name="lastEventAt"/> is active at <paramref name="now"/>.</summary>
    public bool IsActive(ConversationStatus status, DateTimeOffset? lastEventAt, DateTimeOffset now) =>
        status == ConversationStatus.Active && lastEventAt is { } last && now - last < IdleAfter;
}
