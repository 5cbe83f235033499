using System.Text.Json;

namespace CatSyphon.Web.Api;

public sealed record ConversationSummary
{
    public Guid Id { get; init; }
    public string SessionId { get; init; } = "";
    public string? AgentType { get; init; }
    public string? AgentVersion { get; init; }
    public Guid? ProjectId { get; init; }
    public string? ProjectName { get; init; }
    public Guid? DeveloperId { get; init; }
    public string? DeveloperName { get; init; }
    public string? GitBranch { get; init; }
    public string Status { get; init; } = "";
    public string? Outcome { get; init; }
    public string? Summary { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset? LastEventAt { get; init; }
    public double? DurationSeconds { get; init; }
    public int MessageCount { get; init; }
    public int ToolCallCount { get; init; }
    public bool HasPlan { get; init; }
    public bool HasErrors { get; init; }
    public Guid? ParentConversationId { get; init; }
    public string? ParentSessionId { get; init; }
    public int ChildCount { get; init; }
    public string[] Models { get; init; } = [];
    public long TotalTokens { get; init; }
    public decimal CostUsd { get; init; }
    public long UnpricedTokens { get; init; }

    /// <summary>Search results only: matches wrapped in &lt;mark&gt;…&lt;/mark&gt;, the rest raw log text.</summary>
    public string? Snippet { get; init; }
}

public sealed record ConversationPage(List<ConversationSummary> Items, string? NextCursor);

public sealed record PricedTotals(string? Key, long Input, long Output, long CacheCreation, long CacheRead, decimal Cost, long UnpricedTokens)
{
    public long Total => Input + Output + CacheCreation + CacheRead;
}

public sealed record ConversationRef(Guid Id, string SessionId, string? AgentType, int MessageCount, DateTimeOffset? StartedAt);

public sealed record FileTouched(string Path, string ChangeKind, int? LinesAdded, int? LinesDeleted, DateTimeOffset? TouchedAt);

public sealed record ConversationDetail(
    ConversationSummary Conversation, string? WorkingDirectory, string? Hostname, List<PricedTotals> TokensByModel,
    ConversationRef? Parent, List<ConversationRef> Children, List<FileTouched> FilesTouched, List<PlanSummary> Plans);

public sealed record TokenCounts(long Input, long Output, long CacheCreation, long CacheRead)
{
    public long Total => Input + Output + CacheCreation + CacheRead;
}

public sealed record ToolCall(
    string ToolUseId, string? ToolName, JsonElement? Parameters, string? Result, bool? Success, string? ErrorMessage,
    DateTimeOffset? CalledAt, DateTimeOffset? CompletedAt);

public sealed record TranscriptEntry(
    long Sequence, string EventType, string? Role, string? MessageType, string? Content, string? Thinking, string? Model,
    string? StopReason, DateTimeOffset EmittedAt, TokenCounts? Tokens, ToolCall? ToolCall);

public sealed record TranscriptPage(List<TranscriptEntry> Items, long? NextAfter);

/// <summary>/api/conversations: the session archive, one session, and its transcript.</summary>
public static class ConversationsApi
{
    public static Task<ConversationPage> ListConversationsAsync(this CatSyphonApi api, ApiQuery query, CancellationToken cancellationToken = default) =>
        api.GetAsync<ConversationPage>($"/api/conversations{query}", cancellationToken);

    public static Task<ConversationDetail> GetConversationAsync(this CatSyphonApi api, Guid workspaceId, Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<ConversationDetail>($"/api/conversations/{id}{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    public static Task<TranscriptPage> GetTranscriptAsync(
        this CatSyphonApi api, Guid workspaceId, Guid id, long? after, int limit, CancellationToken cancellationToken = default) =>
        api.GetAsync<TranscriptPage>(
            $"/api/conversations/{id}/messages{new ApiQuery().Add("workspace_id", workspaceId).Add("after", after).Add("limit", limit)}", cancellationToken);
}
