using System.Text.Json;

namespace CatSyphon.Protocol.Parsing.Claude;

/// <summary>
/// Facts derived from a tool_use input, written into the tool_call data: <c>file_change</c>
/// {path, kind (edit|multi_edit|write|notebook_edit), lines_added, lines_deleted} for file-editing tools and
/// <c>plan</c> {source, path?, content?} for ExitPlanMode and writes/edits of plan files
/// (<c>…/.claude/plans/…</c> or <c>*plan*.md</c>). Line counts are the line counts of the replaced and new
/// text (not a diff), like the edit tools themselves report.
/// </summary>
internal static class ToolFacts
{
    public static void Write(Utf8JsonWriter w, string toolName, JsonElement input)
    {
        string? path = null;
        string? kind = null;
        string? newText = null;
        long added = 0, deleted = 0;
        switch (toolName)
        {
            case "Edit":
                path = ClaudeCodeLogParser.Str(input, "file_path"u8);
                kind = "edit";
                newText = ClaudeCodeLogParser.Str(input, "new_string"u8);
                added = Lines(newText);
                deleted = Lines(ClaudeCodeLogParser.Str(input, "old_string"u8));
                break;
            case "MultiEdit":
                path = ClaudeCodeLogParser.Str(input, "file_path"u8);
                kind = "multi_edit";
                if (input.TryGetProperty("edits"u8, out var edits) && edits.ValueKind == JsonValueKind.Array)
                {
                    foreach (var edit in edits.EnumerateArray())
                    {
                        added += Lines(ClaudeCodeLogParser.Str(edit, "new_string"u8));
                        deleted += Lines(ClaudeCodeLogParser.Str(edit, "old_string"u8));
                    }
                }

                break;
            case "Write":
                path = ClaudeCodeLogParser.Str(input, "file_path"u8);
                kind = "write";
                newText = ClaudeCodeLogParser.Str(input, "content"u8);
                added = Lines(newText);
                break;
            case "NotebookEdit":
                path = ClaudeCodeLogParser.Str(input, "notebook_path"u8);
                kind = "notebook_edit";
                var mode = ClaudeCodeLogParser.Str(input, "edit_mode"u8);
                if (mode != "delete")
                {
                    added = Lines(ClaudeCodeLogParser.Str(input, "new_source"u8));
                }

                break;
            case "ExitPlanMode":
                w.WriteStartObject(EventFields.Plan);
                w.WriteString(PlanFields.Source, "exit_plan_mode");
                if (ClaudeCodeLogParser.Str(input, "plan"u8) is { } plan)
                {
                    w.WriteString(PlanFields.Content, plan);
                }

                w.WriteEndObject();
                return;
            default:
                return;
        }

        if (path is null)
        {
            return;
        }

        w.WriteStartObject(EventFields.FileChange);
        w.WriteString(FileFields.Path, path);
        w.WriteString(FileFields.Kind, kind);
        w.WriteNumber(FileFields.LinesAdded, added);
        w.WriteNumber(FileFields.LinesDeleted, deleted);
        w.WriteEndObject();

        if (IsPlanFile(path))
        {
            w.WriteStartObject(EventFields.Plan);
            w.WriteString(PlanFields.Source, "plan_file");
            w.WriteString(PlanFields.Path, path);
            if (kind == "write" && newText is not null)
            {
                w.WriteString(PlanFields.Content, newText);
            }

            w.WriteEndObject();
        }
    }

    internal static bool IsPlanFile(string path)
    {
        var normalized = path.Replace('\\', '/');
        if (normalized.Contains("/.claude/plans/", StringComparison.Ordinal))
        {
            return true;
        }

        var name = normalized[(normalized.LastIndexOf('/') + 1)..];
        return name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && name.Contains("plan", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Lines in <paramref name="text"/>: 0 when empty, else newlines + 1 (a final newline ends the last line).</summary>
    internal static long Lines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var count = text.AsSpan().Count('\n');
        return text[^1] == '\n' ? count : count + 1;
    }
}
