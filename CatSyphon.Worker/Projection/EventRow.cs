namespace CatSyphon.Worker.Projection;

/// <summary>
/// One event as the <see cref="Message"/> row it becomes (the <c>messages</c> columns are the entity's), plus what the
/// other tables take from it.
/// </summary>
/// <remarks>Never tracked by EF Core: the worker bulk-copies it (<see cref="Persisting.EventStaging"/>).</remarks>
internal sealed class EventRow : Message
{
    public required Guid CollectorId { get; init; }

    /// <summary>Set for tool_call and tool_result events.</summary>
    public string? ToolUseId { get; set; }

    public string? ToolName { get; set; }

    /// <summary>JSON text (jsonb).</summary>
    public string? ToolParameters { get; set; }

    public string? ToolResult { get; set; }

    public bool? ToolSuccess { get; set; }

    public string? ToolError { get; set; }

    /// <summary>An error event or a failed tool result: sets the conversation's has_errors.</summary>
    public bool IsError { get; set; }

    /// <summary>For events that carry token usage: how it is counted in <c>token_usages</c>.</summary>
    public UsageInfo? Usage { get; set; }

    /// <summary>
    /// The <c>token_usages</c> key of this event's usage: the collector's usage key, else one of this stored
    /// event alone (its conversation and event hash), so usage without a key counts exactly once.
    /// </summary>
    public string? UsageKey => Usage is null ? null : Usage.Key ?? $"event:{ConversationId}:{EventHash}";

    /// <summary>For session_start events.</summary>
    public SessionStartInfo? Start { get; set; }

    /// <summary>For session_end events.</summary>
    public SessionEndInfo? End { get; set; }

    /// <summary>For tool calls that changed a file or a plan (the parsers describe them in the call's data).</summary>
    public SessionEndInfo? ToolFacts { get; set; }
}
