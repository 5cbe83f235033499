using System.Text.Json;
using System.Text.Json.Serialization;
using CatSyphon.Protocol.Json;

namespace CatSyphon.Contracts;

// The export archive (GET /api/workspaces/{id}/export, GET /api/me/export): a zip of JSON Lines files, one record a
// line, and manifest.json. Each record has init properties so the API's SQL maps onto it row by row; the
// JSON columns the database keeps (raw event data, tool parameters, metadata) are copied as they are (RawJsonText).

/// <summary>The file names of an export archive and its format version.</summary>
public static class ExportFiles
{
    /// <summary>Raised when a file's fields change incompatibly.</summary>
    public const int FormatVersion = 1;

    public const string Manifest = "manifest.json";
    public const string Sessions = "sessions.jsonl";
    public const string Messages = "messages.jsonl";
    public const string ToolCalls = "tool_calls.jsonl";
    public const string Files = "files.jsonl";
    public const string Plans = "plans.jsonl";
    public const string TokenUsage = "token_usage.jsonl";
    public const string Developers = "developers.jsonl";
    public const string Projects = "projects.jsonl";
}

/// <summary>What an archive holds: its scope, when it was made, and how many lines each file has.</summary>
public sealed record ExportManifest(
    int FormatVersion, DateTimeOffset GeneratedAt, string Scope, ExportWorkspace? Workspace, ExportPerson? Person,
    IReadOnlyList<ExportWorkspace> Workspaces, IReadOnlyDictionary<string, long> Files, string CatsyphonVersion);

public sealed record ExportWorkspace(Guid Id, string Name, string Slug);

public sealed record ExportPerson(Guid Id, string Email, string DisplayName);

/// <summary>One session (conversation) with its analytics: tokens and cost, models, tools used, files touched.</summary>
public sealed record ExportSession : PricedTokenCounts
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; init; }
    public required string SessionId { get; init; }
    public Guid? ParentConversationId { get; init; }
    public string? ParentSessionId { get; init; }
    public string? AgentType { get; init; }
    public string? AgentVersion { get; init; }
    public Guid? ProjectId { get; init; }
    public string? ProjectName { get; init; }
    public Guid? DeveloperId { get; init; }
    public string? DeveloperName { get; init; }
    public string? WorkingDirectory { get; init; }
    public string? GitBranch { get; init; }
    public string? Hostname { get; init; }
    public required string Status { get; init; }
    public string? Outcome { get; init; }
    public string? Summary { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset? FirstEventAt { get; init; }
    public DateTimeOffset? LastEventAt { get; init; }
    public int MessageCount { get; init; }
    public int ToolCallCount { get; init; }
    public int EventCount { get; init; }
    public bool HasPlan { get; init; }
    public bool HasErrors { get; init; }
    public required string[] Models { get; init; }
    public required string[] Tools { get; init; }
    public int FilesTouched { get; init; }

    [JsonConverter(typeof(RawJsonText))]
    public string? Metadata { get; init; }
}

/// <summary>A stored event of a session's transcript, every type (messages, tool calls and results, plans...).</summary>
public sealed record ExportMessage
{
    public Guid ConversationId { get; init; }
    public required string SessionId { get; init; }
    public long Sequence { get; init; }
    public required string EventType { get; init; }
    public string? Role { get; init; }
    public string? MessageType { get; init; }
    public string? Content { get; init; }
    public string? Thinking { get; init; }
    public string? Model { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public long? CacheCreationTokens { get; init; }
    public long? CacheReadTokens { get; init; }
    public string? StopReason { get; init; }
    public string? ToolUseId { get; init; }
    public string? ToolName { get; init; }
    public string? Uuid { get; init; }
    public string? ParentUuid { get; init; }
    public DateTimeOffset EmittedAt { get; init; }

    /// <summary>The event's whole <c>data</c> object as the collector sent it.</summary>
    [JsonConverter(typeof(RawJsonText))]
    public string? Data { get; init; }
}

public sealed record ExportToolCall
{
    public Guid ConversationId { get; init; }
    public required string SessionId { get; init; }
    public required string ToolUseId { get; init; }
    public string? ToolName { get; init; }

    [JsonConverter(typeof(RawJsonText))]
    public string? Parameters { get; init; }

    public string? Result { get; init; }
    public bool? Success { get; init; }
    public string? ErrorMessage { get; init; }
    public DateTimeOffset? CalledAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}

public sealed record ExportFile
{
    public Guid ConversationId { get; init; }
    public required string SessionId { get; init; }
    public required string Path { get; init; }
    public required string ChangeKind { get; init; }
    public int? LinesAdded { get; init; }
    public int? LinesDeleted { get; init; }
    public DateTimeOffset? TouchedAt { get; init; }
}

/// <summary>A plan with every version of its text, oldest first.</summary>
public sealed record ExportPlan
{
    public Guid Id { get; init; }
    public Guid ConversationId { get; init; }
    public required string SessionId { get; init; }
    public required string Identifier { get; init; }
    public string? Title { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>A JSON array of <c>{ version, content, created_at }</c>.</summary>
    [JsonConverter(typeof(RawJsonText))]
    public required string Versions { get; init; }
}

/// <summary>One API response's token usage, counted once (the rows every token total is summed from).</summary>
public sealed record ExportTokenUsage
{
    public Guid ConversationId { get; init; }
    public required string SessionId { get; init; }
    public required string UsageKey { get; init; }
    public string? Model { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheCreationTokens { get; init; }
    public long CacheCreation1hTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public bool Fast { get; init; }
    public bool FromSubAgent { get; init; }
}

public sealed record ExportDeveloper
{
    public Guid Id { get; init; }
    public required string Username { get; init; }
    public string? DisplayName { get; init; }
    public Guid? UserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record ExportProject
{
    public Guid Id { get; init; }
    public required string Name { get; init; }
    public required string Directory { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// A string holding JSON text (a jsonb column read as text), written as that JSON rather than as a string, and read
/// back as the JSON's text.
/// </summary>
public sealed class RawJsonText : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    // PostgreSQL wrote the text from a jsonb value: it is valid JSON already.
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value, skipInputValidation: true);
}

/// <summary>
/// Source-generated metadata of the export's records: snake_case names, times in UTC with <c>Z</c>, nulls written so
/// every line of a file has the same fields.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(UtcTimestampConverter), typeof(NullableUtcTimestampConverter)])]
[JsonSerializable(typeof(ExportManifest))]
[JsonSerializable(typeof(ExportSession))]
[JsonSerializable(typeof(ExportMessage))]
[JsonSerializable(typeof(ExportToolCall))]
[JsonSerializable(typeof(ExportFile))]
[JsonSerializable(typeof(ExportPlan))]
[JsonSerializable(typeof(ExportTokenUsage))]
[JsonSerializable(typeof(ExportDeveloper))]
[JsonSerializable(typeof(ExportProject))]
public sealed partial class ExportJsonContext : JsonSerializerContext;
