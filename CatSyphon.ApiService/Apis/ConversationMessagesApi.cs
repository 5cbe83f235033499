using System.Text.Json;
using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CatSyphon.ApiService.Apis;

/// <summary>A conversation's transcript: every stored event in sequence order, tool calls joined with their results.</summary>
public static class ConversationMessagesApi
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    /// <summary>
    /// A tool_call row carries its call's result (joined on the conversation and tool_use_id, the unique index
    /// of tool_calls), so the tool_result rows that were joined are left out; a result whose call never
    /// arrived is still listed.
    /// </summary>
    private const string TranscriptSql = """
        SELECT m.sequence, m.event_type, m.role, m.message_type, m.content, m.thinking, m.model, m.stop_reason,
               m.uuid, m.parent_uuid, m.emitted_at,
               m.input_tokens, m.output_tokens, m.cache_creation_tokens, m.cache_read_tokens,
               t.tool_use_id, t.tool_name, t.parameters::text AS parameters, t.result, t.success, t.error_message,
               t.called_at, t.completed_at,
               CASE WHEN @raw THEN m.raw_data::text END AS raw_data
        FROM messages m
        LEFT JOIN tool_calls t
               ON m.event_type = 'tool_call' AND t.conversation_id = m.conversation_id AND t.tool_use_id = m.raw_data->>'tool_use_id'
        WHERE m.conversation_id = @conversation
          AND m.sequence > @after
          AND NOT (m.event_type = 'tool_result' AND EXISTS (
                SELECT 1 FROM tool_calls r
                WHERE r.conversation_id = m.conversation_id AND r.tool_use_id = m.raw_data->>'tool_use_id' AND r.message_id IS NOT NULL))
        ORDER BY m.sequence
        LIMIT @limit
        """;

    public static RouteGroupBuilder MapConversationMessagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/conversations")
            .WithTags("Conversations")
            .RequireAuthorization(Policies.Admin);

        api.MapGet("/{id:guid}/messages", GetTranscript)
            .WithSummary("The conversation's events in sequence order (messages, thinking, tool calls with their results, errors, metadata), paged by sequence");
        return api;
    }

    public static async Task<Results<Ok<TranscriptPage>, ProblemHttpResult>> GetTranscript(
        Guid id,
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        [FromQuery(Name = "after")] long? after,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "include_raw")] bool? includeRaw,
        CatSyphonDbContext db,
        CancellationToken cancellationToken)
    {
        if (ApiProblems.OutOfRange("limit", limit, DefaultPageSize, MaxPageSize, out var size) is { } outOfRange)
        {
            return outOfRange;
        }

        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (!await db.Conversations.AnyAsync(c => c.Id == id && c.WorkspaceId == workspaceId, cancellationToken))
        {
            return ConversationNotFound(id);
        }

        var rows = (await db.Database.GetDbConnection().QueryAsync<TranscriptRow>(new CommandDefinition(TranscriptSql,
            new { conversation = id, after = after ?? 0, limit = size + 1, raw = includeRaw ?? false },
            cancellationToken: cancellationToken))).ToList();
        var items = rows.Take(size).Select(row => row.ToEntry()).ToList();
        return TypedResults.Ok(new TranscriptPage(id, items, rows.Count > size ? items[^1].Sequence : null));
    }

    internal static ProblemHttpResult ConversationNotFound(Guid id) => ApiProblems.NotFound($"No conversation {id} in this workspace.");

    private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();

    private sealed class TranscriptRow
    {
        public long Sequence { get; init; }
        public required string EventType { get; init; }
        public string? Role { get; init; }
        public string? MessageType { get; init; }
        public string? Content { get; init; }
        public string? Thinking { get; init; }
        public string? Model { get; init; }
        public string? StopReason { get; init; }
        public string? Uuid { get; init; }
        public string? ParentUuid { get; init; }
        public DateTimeOffset EmittedAt { get; init; }
        public long? InputTokens { get; init; }
        public long? OutputTokens { get; init; }
        public long? CacheCreationTokens { get; init; }
        public long? CacheReadTokens { get; init; }
        public string? ToolUseId { get; init; }
        public string? ToolName { get; init; }
        public string? Parameters { get; init; }
        public string? Result { get; init; }
        public bool? Success { get; init; }
        public string? ErrorMessage { get; init; }
        public DateTimeOffset? CalledAt { get; init; }
        public DateTimeOffset? CompletedAt { get; init; }
        public string? RawData { get; init; }

        public TranscriptEntry ToEntry() => new(
            Sequence, EventType, Role, MessageType, Content, Thinking, Model, StopReason, Uuid, ParentUuid, EmittedAt,
            InputTokens is null && OutputTokens is null && CacheCreationTokens is null && CacheReadTokens is null
                ? null
                : new TokenCounts(InputTokens ?? 0, OutputTokens ?? 0, CacheCreationTokens ?? 0, CacheReadTokens ?? 0),
            ToolUseId is null ? null : new ToolCallView(ToolUseId, ToolName, Json(Parameters), Result, Success, ErrorMessage, CalledAt, CompletedAt),
            Json(RawData));
    }
}
