using System.Text.Json;

namespace CatSyphon.Contracts;

public sealed record TokenCounts(long Input, long Output, long CacheCreation, long CacheRead);

public sealed record ToolCallView(
    string ToolUseId, string? ToolName, JsonElement? Parameters, string? Result, bool? Success, string? ErrorMessage,
    DateTimeOffset? CalledAt, DateTimeOffset? CompletedAt);

public sealed record TranscriptEntry(
    long Sequence, string EventType, string? Role, string? MessageType, string? Content, string? Thinking, string? Model,
    string? StopReason, string? Uuid, string? ParentUuid, DateTimeOffset EmittedAt, TokenCounts? Tokens, ToolCallView? ToolCall,
    JsonElement? RawData);

public sealed record TranscriptPage(Guid ConversationId, IReadOnlyList<TranscriptEntry> Items, long? NextAfter);
