namespace CatSyphon.Protocol.Parsing.Claude;

/// <summary>Where a Claude Code log file sits in a <c>projects/</c> tree, and which session its lines belong to.</summary>
internal sealed record ClaudeLogPath(string FileStem, string PathSessionId, bool IsSubAgentFile, string? NestedParentSessionId)
{
    /// <summary>
    /// Recognises <c>…/projects/&lt;project&gt;/&lt;name&gt;.jsonl</c> (main sessions and flat <c>agent-*.jsonl</c>) and
    /// <c>…/projects/&lt;project&gt;/&lt;session&gt;/subagents/agent-*.jsonl</c>. Always yields a location (from the file
    /// name alone when the layout is not recognised) so any stream can still be parsed.
    /// </summary>
    public static bool TryResolve(string? path, out ClaudeLogPath location)
    {
        var parts = (path ?? "").Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        var fileName = parts.Length > 0 ? parts[^1] : "";
        var isJsonl = fileName.EndsWith(".jsonl", StringComparison.Ordinal);
        var stem = isJsonl ? fileName[..^".jsonl".Length] : fileName;
        var isAgent = stem.StartsWith("agent-", StringComparison.Ordinal);

        var projects = Array.LastIndexOf(parts, "projects");
        var below = projects >= 0 ? parts.Length - projects - 1 : -1;
        if (isJsonl && below == 2 && stem.Length > 0)
        {
            location = new ClaudeLogPath(stem, stem, isAgent, null);
            return true;
        }

        if (isJsonl && below == 4 && isAgent && parts[^2] == "subagents")
        {
            location = new ClaudeLogPath(stem, parts[^3], true, parts[^3]);
            return true;
        }

        var pathSession = parts.Length >= 2 && parts[^2] == "subagents" && parts.Length >= 3 ? parts[^3] : stem;
        location = new ClaudeLogPath(stem, pathSession, isAgent, parts.Length >= 3 && parts[^2] == "subagents" ? parts[^3] : null);
        return false;
    }

    /// <summary>The session of this file's lines, given their <c>sessionId</c> field (null when absent).</summary>
    public ParsedSessionRef SessionFor(string? lineSessionId)
    {
        if (!IsSubAgentFile)
        {
            return new ParsedSessionRef(string.IsNullOrEmpty(lineSessionId) ? FileStem : lineSessionId, null);
        }

        var parent = NestedParentSessionId ?? (string.IsNullOrEmpty(lineSessionId) ? null : lineSessionId);
        return parent is null ? new ParsedSessionRef(FileStem, null) : new ParsedSessionRef($"{parent}:{FileStem}", parent);
    }
}
