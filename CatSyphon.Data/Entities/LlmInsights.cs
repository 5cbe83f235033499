namespace CatSyphon.Data;

/// <summary>
/// What the optional LLM said about one session: written by the worker's LLM job from a compact, redacted rendering of
/// the session, for the session version <see cref="EventCount"/> (caching: it is asked again only when the session grew
/// or the prompt changed). A failed request keeps the last good answer and records <see cref="LastError"/>.
/// </summary>
public class SessionLlmInsight
{
    public Guid ConversationId { get; set; }

    public Conversation? Conversation { get; set; }

    public Guid WorkspaceId { get; set; }

    /// <summary>The session version described: the event count of the deterministic insight the prompt was built from.</summary>
    public int EventCount { get; set; }

    /// <summary>The prompt's version: a new prompt makes every session due again.</summary>
    public int PromptVersion { get; set; }

    /// <summary>The model that answered (as the server named it), or the configured one.</summary>
    public required string Model { get; set; }

    /// <summary><c>positive</c>, <c>neutral</c>, <c>negative</c> or <c>frustrated</c>; null until one answer succeeded.</summary>
    public string? Sentiment { get; set; }

    /// <summary>A narrative summary, at most <see cref="ColumnLimits.LlmSummary"/> characters.</summary>
    public string? Summary { get; set; }

    /// <summary>At most <see cref="ColumnLimits.LlmListItems"/> items of <see cref="ColumnLimits.LlmListItem"/> characters each, as are the next two.</summary>
    public string[] Problems { get; set; } = [];

    public string[] Features { get; set; } = [];

    public string[] LearningOpportunities { get; set; } = [];

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public DateTimeOffset ComputedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Why the last request for this version failed (short, no secret); null after a success.</summary>
    public string? LastError { get; set; }

    /// <summary>The session version <see cref="LastError"/> is about (the described <see cref="EventCount"/> may be older).</summary>
    public int? FailedEventCount { get; set; }

    /// <summary>Attempts spent in vain on <see cref="FailedEventCount"/>; at the configured maximum the session waits until it grows.</summary>
    public int Attempts { get; set; }
}

/// <summary>A workspace's LLM use in one calendar month (UTC), against its monthly token budget.</summary>
public class LlmUsage
{
    public Guid WorkspaceId { get; set; }

    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public int Requests { get; set; }
}
