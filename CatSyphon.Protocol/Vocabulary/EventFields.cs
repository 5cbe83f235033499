namespace CatSyphon.Protocol;

// The names of the members of an event's data, written once: the parsers write them, the validator checks them,
// the worker reads them into columns. Each class is one kind of JSON object; the server also reads a few older or
// other collectors' names (marked "also read"), which the parsers never write.

/// <summary>Members of an event's <c>data</c> object.</summary>
public static class EventFields
{
    // Any event.
    public const string Content = "content";
    public const string Kind = "kind";
    public const string Model = "model";
    public const string ApiMessageId = "api_message_id";
    public const string RequestId = "request_id";
    public const string Uuid = "uuid";
    public const string ParentUuid = "parent_uuid";
    public const string LogicalParentUuid = "logical_parent_uuid";
    public const string LeafUuid = "leaf_uuid";
    public const string IsSidechain = "is_sidechain";
    public const string Level = "level";
    public const string Raw = "raw";
    public const string RawBytes = "raw_bytes";

    // Token usage, on whichever event carries an API response's usage (its members: UsageFields).
    public const string TokenUsage = "token_usage";
    public const string UsageKey = "usage_key";
    public const string UsageModel = "usage_model";
    public const string UsageFromSubAgent = "usage_from_sub_agent";

    /// <summary>True when the agent wrote its token counts rounded (Aider's <c>5.8k sent</c>): the counts are estimates.</summary>
    public const string UsageApproximate = "usage_approximate";

    /// <summary>
    /// The cost in US dollars of this request as the agent itself reported it, kept apart from the cost CatSyphon prices
    /// from the tokens (the agent's prices may differ from CatSyphon's table).
    /// </summary>
    public const string ReportedCostUsd = "reported_cost_usd";

    /// <summary>The agent's reported running cost of the session so far, in US dollars, next to <see cref="ReportedCostUsd"/>.</summary>
    public const string ReportedSessionCostUsd = "reported_session_cost_usd";

    // message.
    public const string AuthorRole = "author_role";

    /// <summary>Also read as <see cref="AuthorRole"/>.</summary>
    public const string Role = "role";
    public const string MessageType = "message_type";
    public const string StopReason = "stop_reason";

    /// <summary>Codex's phase of an assistant message.</summary>
    public const string Phase = "phase";
    public const string ThinkingContent = "thinking_content";

    // thinking (content, else these).
    public const string Thinking = "thinking";
    public const string Redacted = "redacted";
    public const string Text = "text";

    // error.
    public const string Message = "message";
    public const string ErrorType = "error_type";
    public const string ErrorMessage = "error_message";
    public const string Error = "error";

    // tool_call and tool_result.
    public const string ToolUseId = "tool_use_id";
    public const string ToolName = "tool_name";
    public const string Parameters = "parameters";

    /// <summary>Also read as <see cref="Parameters"/>.</summary>
    public const string Input = "input";

    /// <summary>A file a tool call changed (members: <see cref="FileFields"/>).</summary>
    public const string FileChange = "file_change";

    /// <summary>A plan a tool call wrote or approved (members: <see cref="PlanFields"/>).</summary>
    public const string Plan = "plan";
    public const string Result = "result";

    /// <summary>Also read as <see cref="Result"/>.</summary>
    public const string Output = "output";
    public const string Success = "success";

    // session_start.
    public const string AgentType = "agent_type";
    public const string AgentVersion = "agent_version";
    public const string AgentId = "agent_id";
    public const string WorkingDirectory = "working_directory";

    /// <summary>Also read as <see cref="WorkingDirectory"/>.</summary>
    public const string Cwd = "cwd";
    public const string GitBranch = "git_branch";
    public const string GitCommit = "git_commit";
    public const string Slug = "slug";
    public const string Hostname = "hostname";
    public const string ParentSessionId = "parent_session_id";
    public const string Originator = "originator";
    public const string ModelProvider = "model_provider";

    /// <summary>Gemini CLI's project: the SHA-256 of the project root, the same whatever the CLI names its folder.</summary>
    public const string ProjectHash = "project_hash";

    /// <summary>A user name, or an object (members: <see cref="DeveloperFields"/>).</summary>
    public const string Developer = "developer";

    // session_end.
    public const string Outcome = "outcome";
    public const string Summary = "summary";
    public const string Plans = "plans";
    public const string FilesTouched = "files_touched";
}

/// <summary>Members of <see cref="EventFields.TokenUsage"/>; the counted ones are <see cref="ProtocolLimits.TokenUsageFields"/>.</summary>
public static class UsageFields
{
    public const string InputTokens = "input_tokens";
    public const string OutputTokens = "output_tokens";
    public const string CacheCreationInputTokens = "cache_creation_input_tokens";
    public const string CacheReadInputTokens = "cache_read_input_tokens";

    /// <summary>The part of the cache writes that went to the 1-hour cache.</summary>
    public const string CacheCreation1hInputTokens = "cache_creation_1h_input_tokens";

    /// <summary>Older name of <see cref="CacheCreationInputTokens"/>, also read.</summary>
    public const string CacheCreationTokens = "cache_creation_tokens";

    /// <summary>Older name of <see cref="CacheReadInputTokens"/>, also read.</summary>
    public const string CacheReadTokens = "cache_read_tokens";
    public const string ReasoningOutputTokens = "reasoning_output_tokens";

    /// <summary><see cref="FastSpeed"/> for fast mode.</summary>
    public const string Speed = "speed";
    public const string FastSpeed = "fast";

    /// <summary>Anthropic's breakdown of the cache writes, as some collectors forward it; also read.</summary>
    public const string CacheCreation = "cache_creation";

    /// <summary>Member of <see cref="CacheCreation"/>.</summary>
    public const string Ephemeral1hInputTokens = "ephemeral_1h_input_tokens";
}

/// <summary>Members of an object <see cref="EventFields.Developer"/>, all also read (no parser writes one).</summary>
public static class DeveloperFields
{
    public const string Username = "username";
    public const string Login = "login";
    public const string Email = "email";
    public const string Id = "id";
    public const string Name = "name";
    public const string DisplayName = "display_name";
}

/// <summary>Members of <see cref="EventFields.FileChange"/> and of the entries of <see cref="EventFields.FilesTouched"/>.</summary>
public static class FileFields
{
    public const string Path = "path";
    public const string Kind = "kind";
    public const string LinesAdded = "lines_added";
    public const string LinesDeleted = "lines_deleted";

    // Also read: other collectors' names of the same things.
    public const string FilePath = "file_path";
    public const string File = "file";
    public const string ChangeKind = "change_kind";
    public const string Change = "change";
    public const string ChangeType = "change_type";
    public const string Action = "action";
    public const string Operation = "operation";
    public const string LinesRemoved = "lines_removed";
    public const string TouchedAt = "touched_at";
    public const string Timestamp = "timestamp";
}

/// <summary>Members of <see cref="EventFields.Plan"/> and of the entries of <see cref="EventFields.Plans"/>.</summary>
public static class PlanFields
{
    public const string Source = "source";
    public const string Path = "path";
    public const string Content = "content";

    // Also read: other collectors' names, and the Python watcher's PlanInfo.
    public const string PlanFilePath = "plan_file_path";
    public const string Identifier = "identifier";
    public const string Id = "id";
    public const string FilePath = "file_path";
    public const string Name = "name";
    public const string Title = "title";
    public const string Status = "status";
    public const string Versions = "versions";
    public const string InitialContent = "initial_content";
    public const string Operations = "operations";
    public const string NewContent = "new_content";
    public const string FinalContent = "final_content";
}
