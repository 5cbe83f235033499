namespace CatSyphon.Data;

/// <summary>
/// The token usage of one API response, counted once however many stored events carry a copy of it
/// (a Claude reply split over several log lines, a sub-agent file repeating its parent's reply).
/// </summary>
/// <remarks>
/// The ingestion worker keeps, per (workspace, usage key), the copy the collector's token ledger keeps:
/// a main-session copy beats a sub-agent copy, otherwise the copy with the strictly larger total wins.
/// Per-conversation, per-day and per-model totals are sums over these rows.
/// </remarks>
public class TokenUsage
{
    public Guid WorkspaceId { get; set; }

    public Workspace? Workspace { get; set; }

    /// <summary>
    /// The parsers' <c>usage_key</c> (message id + request id + session, or Codex's cumulative totals);
    /// for an event without one, <c>event:</c> + conversation id + event hash, so it counts exactly once.
    /// </summary>
    public required string UsageKey { get; set; }

    /// <summary>The conversation of the copy that counts.</summary>
    public Guid ConversationId { get; set; }

    public Conversation? Conversation { get; set; }

    /// <summary>Null when the response named no model (Claude Code's <c>&lt;synthetic&gt;</c> replies included).</summary>
    public string? Model { get; set; }

    /// <summary>The <c>emitted_at</c> of the event that carried the counted copy.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    /// <summary>All cache writes, 5-minute and 1-hour.</summary>
    public long CacheCreationTokens { get; set; }

    /// <summary>
    /// The part of <see cref="CacheCreationTokens"/> written to the 1-hour cache, billed higher than the 5-minute
    /// rest; 0 when the collector sent no breakdown.
    /// </summary>
    public long CacheCreation1hTokens { get; set; }

    public long CacheReadTokens { get; set; }

    /// <summary>Made in fast mode (<c>"speed": "fast"</c>), billed at a multiple of the model's prices.</summary>
    public bool Fast { get; set; }

    /// <summary>Whether the counted copy came from a sub-agent's log (<c>usage_from_sub_agent</c>).</summary>
    public bool FromSubAgent { get; set; }
}
