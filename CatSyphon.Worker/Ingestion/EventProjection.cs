using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CatSyphon.Data;
using CatSyphon.Ingestion;
using CatSyphon.Protocol;

namespace CatSyphon.Worker.Ingestion;

/// <summary>One event as a <c>messages</c> row plus what the other tables take from it.</summary>
internal sealed class EventRow
{
    public required Guid ConversationId { get; set; }

    public required Guid CollectorId { get; init; }

    public required long Sequence { get; init; }

    public required string EventHash { get; init; }

    public required EventType EventType { get; init; }

    public AuthorRole? Role { get; set; }

    public MessageType? MessageType { get; set; }

    public string? Content { get; set; }

    public string? Thinking { get; set; }

    public string? Model { get; set; }

    public long? InputTokens { get; set; }

    public long? OutputTokens { get; set; }

    public long? CacheCreationTokens { get; set; }

    public long? CacheReadTokens { get; set; }

    public string? ApiMessageId { get; set; }

    public string? RequestId { get; set; }

    public string? Uuid { get; set; }

    public string? ParentUuid { get; set; }

    public string? StopReason { get; set; }

    public required string RawData { get; init; }

    public required DateTimeOffset EmittedAt { get; init; }

    public DateTimeOffset? ObservedAt { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

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

internal sealed record SessionStartInfo(
    string? AgentType,
    string? AgentVersion,
    string? WorkingDirectory,
    string? GitBranch,
    string? Slug,
    string? Hostname,
    string? ParentSessionId,
    string? Developer,
    string? DeveloperDisplayName,
    DateTimeOffset StartedAt)
{
    /// <summary>The project's display name: the last segment of the working directory.</summary>
    public string? ProjectName => WorkingDirectory is null ? null : EventProjection.LastPathSegment(WorkingDirectory);
}

/// <param name="Key">The parsers' <c>usage_key</c>, the same on every copy of one API response; null when absent.</param>
/// <param name="Model">The model the usage is counted under; null when the response named none.</param>
/// <param name="FromSubAgent">The copy comes from a sub-agent's log: a main-session copy of the response counts instead.</param>
/// <summary>
/// How a row's usage is counted and priced: <see cref="CacheCreation1h"/> is the part of its cache creation tokens
/// written to the 1-hour cache (0 when the collector sent no breakdown: all 5-minute), <see cref="Fast"/> fast mode.
/// </summary>
internal sealed record UsageInfo(string? Key, string? Model, bool FromSubAgent, long CacheCreation1h, bool Fast);

internal sealed record PlanInfo(string Identifier, string? Title, string? Status, IReadOnlyList<string> Versions);

internal sealed record FileInfoRow(string Path, string ChangeKind, int? LinesAdded, int? LinesDeleted, DateTimeOffset? TouchedAt);

internal sealed record SessionEndInfo(string? Outcome, string? Summary, DateTimeOffset EndedAt, IReadOnlyList<PlanInfo> Plans, IReadOnlyList<FileInfoRow> Files);

/// <summary>
/// Reads the typed columns out of an event's data. Lenient by design: a field of an unexpected shape is
/// left out of its column (the raw jsonb keeps everything); only data that is not a JSON object at all
/// is refused.
/// </summary>
internal static class EventProjection
{
    private const string SyntheticModel = "<synthetic>";

    public static EventRow Project(BufferedBatch batch, BufferedEvent buffered, Guid conversationId)
    {
        if (!WireName.TryParse<EventType>(buffered.Type, out var eventType))
        {
            throw new FormatException($"Unknown event type '{Truncate(buffered.Type, 64)}'.");
        }

        var raw = SanitizeJson(buffered.Data);
        using var document = JsonDocument.Parse(raw);
        var data = document.RootElement;
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("An event's data is not a JSON object.");
        }

        var row = new EventRow
        {
            ConversationId = conversationId,
            CollectorId = batch.CollectorId,
            Sequence = buffered.Sequence,
            EventHash = buffered.EventHash,
            EventType = eventType.Value,
            RawData = raw,
            EmittedAt = buffered.EmittedAt.ToUniversalTime(),
            ObservedAt = buffered.ObservedAt?.ToUniversalTime(),
            ReceivedAt = batch.ReceivedAt.ToUniversalTime(),
        };

        switch (eventType.Value)
        {
            case EventType.Message:
                ProjectMessage(data, row);
                break;
            case EventType.Thinking:
                row.Thinking = Text(data, EventFields.Content) ?? Text(data, EventFields.Thinking) ?? Text(data, EventFields.ThinkingContent) ?? Text(data, EventFields.Text);
                break;
            case EventType.Error:
                row.IsError = true;
                row.Content = Text(data, EventFields.Message) ?? Text(data, EventFields.ErrorMessage) ?? Text(data, EventFields.Error) ?? Text(data, EventFields.Content);
                break;
            case EventType.ToolCall:
                row.ToolUseId = Identifier(data, EventFields.ToolUseId);
                row.ToolName = Identifier(data, EventFields.ToolName);
                row.ToolParameters = Json(data, EventFields.Parameters) ?? Json(data, EventFields.Input);
                row.ToolFacts = ProjectToolFacts(data, row.EmittedAt);
                break;
            case EventType.ToolResult:
                ProjectToolResult(data, row);
                break;
            case EventType.SessionStart:
                row.Start = ProjectStart(data, row.EmittedAt);
                break;
            case EventType.SessionEnd:
                row.End = ProjectEnd(data, row.EmittedAt);
                break;
        }

        ProjectUsage(data, row);

        // A tool event without its id cannot be joined; keep the message row only.
        if (row.ToolUseId is null)
        {
            row.ToolName = null;
            row.ToolParameters = null;
            row.ToolResult = null;
            row.ToolSuccess = null;
            row.ToolError = null;
        }

        return row;
    }

    private static void ProjectMessage(JsonElement data, EventRow row)
    {
        var role = Text(data, EventFields.AuthorRole) ?? Text(data, EventFields.Role);
        row.Role = AuthorRoles.TryParse(role, out var parsedRole) ? parsedRole : null;
        row.MessageType = WireName.TryParse<MessageType>(Text(data, EventFields.MessageType), out var messageType) ? messageType : null;
        row.Content = Text(data, EventFields.Content);
        row.Model = Identifier(data, EventFields.Model);
        row.Thinking = Text(data, EventFields.ThinkingContent);
        row.ApiMessageId = Identifier(data, EventFields.ApiMessageId);
        row.RequestId = Text(data, EventFields.RequestId);
        row.Uuid = Text(data, EventFields.Uuid);
        row.ParentUuid = Text(data, EventFields.ParentUuid);
        row.StopReason = Text(data, EventFields.StopReason);
    }

    /// <summary>
    /// Token usage may ride on any event (a response with no text still used tokens: its usage comes on
    /// its thinking or tool call event), so it is read whatever the type.
    /// </summary>
    private static void ProjectUsage(JsonElement data, EventRow row)
    {
        if (!data.TryGetProperty(EventFields.TokenUsage, out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        long?[] counts =
        [
            Integer(usage, UsageFields.InputTokens),
            Integer(usage, UsageFields.OutputTokens),
            Integer(usage, UsageFields.CacheCreationInputTokens) ?? Integer(usage, UsageFields.CacheCreationTokens),
            Integer(usage, UsageFields.CacheReadInputTokens) ?? Integer(usage, UsageFields.CacheReadTokens),
        ];

        // The API refuses counts outside 0..1e9; one buffered before that (or written by any other path) makes the
        // whole usage unbelievable, so none of it counts, rather than failing its set on token_usages' CHECKs.
        if (Array.Exists(counts, count => count is < 0 or > ColumnLimits.MaxTokenCount))
        {
            return;
        }

        (row.InputTokens, row.OutputTokens, row.CacheCreationTokens, row.CacheReadTokens) = (counts[0], counts[1], counts[2], counts[3]);
        var usageModel = Identifier(data, EventFields.UsageModel);
        row.Model ??= usageModel ?? Identifier(data, EventFields.Model);
        row.ApiMessageId ??= Identifier(data, EventFields.ApiMessageId);
        row.RequestId ??= Text(data, EventFields.RequestId);

        if (row.InputTokens is not null || row.OutputTokens is not null || row.CacheCreationTokens is not null || row.CacheReadTokens is not null)
        {
            // Claude Code writes "<synthetic>" as the model of replies no model produced; they count with no model.
            var countedModel = usageModel ?? row.Model;
            row.Usage = new UsageInfo(
                UsageKey(Text(data, EventFields.UsageKey)),
                countedModel == SyntheticModel ? null : countedModel,
                Boolean(data, EventFields.UsageFromSubAgent) ?? false,
                CacheCreation1h(usage, row.CacheCreationTokens ?? 0),
                usage.TryGetProperty(UsageFields.Speed, out var speed) && speed.ValueKind == JsonValueKind.String && speed.ValueEquals(UsageFields.FastSpeed));
        }
    }

    /// <summary>
    /// The 1-hour part of the cache writes: ours send <c>cache_creation_1h_input_tokens</c>; collectors that forward
    /// Anthropic's usage as it is send <c>cache_creation.ephemeral_1h_input_tokens</c>. Never more than all the writes
    /// (or less than none), so the 5-minute rest is never negative.
    /// </summary>
    private static long CacheCreation1h(JsonElement usage, long cacheCreation)
    {
        var oneHour = Integer(usage, UsageFields.CacheCreation1hInputTokens)
            ?? (usage.TryGetProperty(UsageFields.CacheCreation, out var breakdown) && breakdown.ValueKind == JsonValueKind.Object
                ? Integer(breakdown, UsageFields.Ephemeral1hInputTokens)
                : null);
        return Math.Clamp(oneHour ?? 0, 0, Math.Max(cacheCreation, 0));
    }

    /// <summary>A usage key as sent, or a digest of it when it is longer than the column holds (copies of one response still share it).</summary>
    private static string? UsageKey(string? key) =>
        key is null || key.Length <= ColumnLimits.UsageKey
            ? key
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static void ProjectToolResult(JsonElement data, EventRow row)
    {
        row.ToolUseId = Identifier(data, EventFields.ToolUseId);
        row.ToolResult = Text(data, EventFields.Result) ?? Text(data, EventFields.Output);
        row.ToolError = Text(data, EventFields.ErrorMessage) ?? Text(data, EventFields.Error);
        var success = Boolean(data, EventFields.Success);
        row.ToolSuccess = success ?? row.ToolError is null;
        if (success == false || row.ToolError is not null)
        {
            row.ToolSuccess = false;
            row.IsError = true;
        }
    }

    private static SessionStartInfo ProjectStart(JsonElement data, DateTimeOffset emittedAt)
    {
        var workingDirectory = Text(data, EventFields.WorkingDirectory) ?? Text(data, EventFields.Cwd);
        string? developer = null;
        string? displayName = null;
        if (data.TryGetProperty(EventFields.Developer, out var developerElement))
        {
            switch (developerElement.ValueKind)
            {
                case JsonValueKind.String:
                    developer = Clean(developerElement.GetString());
                    break;
                case JsonValueKind.Object:
                    developer = Text(developerElement, DeveloperFields.Username) ?? Text(developerElement, DeveloperFields.Login) ?? Text(developerElement, DeveloperFields.Email) ?? Text(developerElement, DeveloperFields.Id) ?? Text(developerElement, DeveloperFields.Name);
                    displayName = Text(developerElement, DeveloperFields.DisplayName) ?? Text(developerElement, DeveloperFields.Name);
                    break;
            }
        }

        developer ??= HomeDirectoryUser(workingDirectory);
        return new SessionStartInfo(
            AgentType: Text(data, EventFields.AgentType),
            AgentVersion: Text(data, EventFields.AgentVersion),
            WorkingDirectory: workingDirectory,
            GitBranch: Text(data, EventFields.GitBranch),
            Slug: Text(data, EventFields.Slug),
            Hostname: Text(data, EventFields.Hostname),
            ParentSessionId: Bounded(Text(data, EventFields.ParentSessionId), ColumnLimits.SessionId),
            Developer: Bounded(developer, ColumnLimits.Identifier),
            DeveloperDisplayName: displayName,
            StartedAt: emittedAt);
    }

    private static SessionEndInfo ProjectEnd(JsonElement data, DateTimeOffset emittedAt)
    {
        var plans = new List<PlanInfo>();
        if (data.TryGetProperty(EventFields.Plans, out var plansElement) && plansElement.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var plan in plansElement.EnumerateArray())
            {
                index++;
                if (ProjectPlan(plan, index) is { } info
                    && !plans.Exists(existing => existing.Identifier == info.Identifier))
                {
                    plans.Add(info);
                }
            }
        }

        var files = new List<FileInfoRow>();
        if (data.TryGetProperty(EventFields.FilesTouched, out var filesElement) && filesElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var file in filesElement.EnumerateArray())
            {
                if (ProjectFile(file, emittedAt) is { } info)
                {
                    files.Add(info);
                }
            }
        }

        return new SessionEndInfo(Text(data, EventFields.Outcome), Text(data, EventFields.Summary), emittedAt, plans, files);
    }

    /// <summary>
    /// A tool call's <c>file_change</c> (Edit, Write...) and <c>plan</c> (ExitPlanMode, a plan file written):
    /// files touched and plan versions as the session goes, not only at its end. Plan mode's plans have no
    /// path and share one plan per conversation, each approved plan a new version.
    /// </summary>
    private static SessionEndInfo? ProjectToolFacts(JsonElement data, DateTimeOffset emittedAt)
    {
        var file = data.TryGetProperty(EventFields.FileChange, out var change) ? ProjectFile(change, emittedAt) : null;
        var plan = data.TryGetProperty(EventFields.Plan, out var planElement) && planElement.ValueKind == JsonValueKind.Object
            && ProjectPlan(planElement, 1) is { } info
                ? info with { Identifier = Bounded(Text(planElement, PlanFields.Path), ColumnLimits.PlanIdentifier) ?? "plan-mode" }
                : null;
        return file is null && plan is null ? null : new SessionEndInfo(null, null, emittedAt, plan is null ? [] : [plan], file is null ? [] : [file]);
    }

    private static PlanInfo? ProjectPlan(JsonElement plan, int index)
    {
        if (plan.ValueKind == JsonValueKind.String)
        {
            var text = Clean(plan.GetString());
            return text is null ? null : new PlanInfo($"plan-{index}", null, null, [text]);
        }

        if (plan.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var identifier = Text(plan, PlanFields.Path) ?? Text(plan, PlanFields.PlanFilePath) ?? Text(plan, PlanFields.Identifier) ?? Text(plan, PlanFields.Id)
            ?? Text(plan, PlanFields.FilePath) ?? Text(plan, PlanFields.Name) ?? Text(plan, PlanFields.Title) ?? $"plan-{index}";

        // Versions in the order they were written: an explicit list; else (the Python watcher's PlanInfo) the
        // initial content, what each operation wrote, and the final content. Each distinct content once.
        var versions = new List<string>();
        void Add(string? content)
        {
            if (content is not null && !versions.Contains(content))
            {
                versions.Add(content);
            }
        }

        if (plan.TryGetProperty(PlanFields.Versions, out var versionsElement) && versionsElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var version in versionsElement.EnumerateArray())
            {
                Add(version.ValueKind == JsonValueKind.Object ? Text(version, PlanFields.Content) : AsText(version));
            }
        }

        Add(Text(plan, PlanFields.InitialContent));
        if (plan.TryGetProperty(PlanFields.Operations, out var operations) && operations.ValueKind == JsonValueKind.Array)
        {
            foreach (var operation in operations.EnumerateArray())
            {
                if (operation.ValueKind == JsonValueKind.Object)
                {
                    Add(Text(operation, PlanFields.NewContent) ?? Text(operation, PlanFields.Content));
                }
            }
        }

        Add(Text(plan, PlanFields.Content));
        Add(Text(plan, PlanFields.FinalContent));

        return new PlanInfo(Bounded(identifier, ColumnLimits.PlanIdentifier)!, Text(plan, PlanFields.Title), Text(plan, PlanFields.Status), versions);
    }

    private static FileInfoRow? ProjectFile(JsonElement file, DateTimeOffset emittedAt)
    {
        if (file.ValueKind == JsonValueKind.String)
        {
            var path = Clean(file.GetString());
            return path is null ? null : new FileInfoRow(path, "touched", null, null, emittedAt);
        }

        if (file.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var filePath = Text(file, FileFields.Path) ?? Text(file, FileFields.FilePath) ?? Text(file, FileFields.File);
        if (filePath is null)
        {
            return null;
        }

        var change = (Text(file, FileFields.ChangeKind) ?? Text(file, FileFields.Change) ?? Text(file, FileFields.ChangeType) ?? Text(file, FileFields.Action)
            ?? Text(file, FileFields.Operation) ?? Text(file, FileFields.Kind) ?? "touched").ToLowerInvariant();
        return new FileInfoRow(
            filePath,
            Bounded(change, 100)!,
            ToInt(Integer(file, FileFields.LinesAdded)),
            ToInt(Integer(file, FileFields.LinesDeleted) ?? Integer(file, FileFields.LinesRemoved)),
            Timestamp(file, FileFields.TouchedAt) ?? Timestamp(file, FileFields.Timestamp) ?? emittedAt);
    }

    /// <summary>The user of a home directory path (<c>/home/alice/...</c>, <c>/Users/alice/...</c>, <c>C:\Users\alice\...</c>).</summary>
    public static string? HomeDirectoryUser(string? directory)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return null;
        }

        var segments = directory.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        var start = segments.Length > 0 && segments[0].Length == 2 && segments[0][1] == ':' ? 1 : 0;
        if (segments.Length > start + 1
            && (segments[start] == "home" || segments[start].Equals("Users", StringComparison.OrdinalIgnoreCase))
            && segments[start + 1].Length > 0)
        {
            return Bounded(segments[start + 1], ColumnLimits.Identifier);
        }

        return null;
    }

    public static string LastPathSegment(string directory)
    {
        var trimmed = directory.TrimEnd('/', '\\');
        if (trimmed.Length == 0)
        {
            return directory;
        }

        var cut = trimmed.LastIndexOfAny(['/', '\\']);
        return cut < 0 ? trimmed : trimmed[(cut + 1)..];
    }

    /// <summary>PostgreSQL text and jsonb hold no NUL character; the API replaces them, this is a last guard.</summary>
    public static string SanitizeJson(string json) =>
        json.Contains("\\u0000", StringComparison.OrdinalIgnoreCase) || json.Contains('\0')
            ? json.Replace("\\u0000", "\\ufffd", StringComparison.OrdinalIgnoreCase).Replace('\0', '\uFFFD')
            : json;

    public static string? Clean(string? text) =>
        string.IsNullOrEmpty(text) ? null : text.Contains('\0') ? text.Replace('\0', '\uFFFD') : text;

    public static string? Bounded(string? text, int maxLength) =>
        text is null || text.Length <= maxLength ? text : text[..maxLength];

    private static string Truncate(string text, int maxLength) => text.Length <= maxLength ? text : text[..maxLength];

    private static string? Identifier(JsonElement data, string name) => Bounded(Text(data, name), ColumnLimits.Identifier);

    /// <summary>A string property as is; a number or boolean as its JSON text; an object or array as its JSON text.</summary>
    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) ? AsText(value) : null;

    private static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Clean(value.GetString()),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Object or JsonValueKind.Array => Clean(value.GetRawText()),
        _ => null,
    };

    /// <summary>Any JSON value but null, as JSON text (for jsonb columns).</summary>
    private static string? Json(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.GetRawText()
            : null;

    private static long? Integer(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt64(out var integer):
                return integer;
            case JsonValueKind.Number when value.TryGetDouble(out var real) && double.IsFinite(real) && Math.Abs(real) < 9e18:
                return (long)real;
            case JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                return null;
        }
    }

    private static int? ToInt(long? value) => value is null ? null : (int)Math.Clamp(value.Value, int.MinValue, int.MaxValue);

    private static bool? Boolean(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => null,
        };
    }

    private static DateTimeOffset? Timestamp(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.ToUniversalTime();
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds is > 0 and < 253402300799)
        {
            return DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        }

        return null;
    }
}
