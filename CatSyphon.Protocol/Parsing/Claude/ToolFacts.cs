using System.Buffers.Text;
using System.Runtime.InteropServices;
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
        long added = 0, deleted = 0;
        switch (toolName)
        {
            case "Edit":
                path = ClaudeCodeLogParser.Str(input, "file_path"u8);
                kind = "edit";
                added = Lines(input, "new_string"u8);
                deleted = Lines(input, "old_string"u8);
                break;
            case "MultiEdit":
                path = ClaudeCodeLogParser.Str(input, "file_path"u8);
                kind = "multi_edit";
                if (input.TryGetProperty("edits"u8, out var edits) && edits.ValueKind == JsonValueKind.Array)
                {
                    foreach (var edit in edits.EnumerateArray())
                    {
                        added += Lines(edit, "new_string"u8);
                        deleted += Lines(edit, "old_string"u8);
                    }
                }

                break;
            case "Write":
                path = ClaudeCodeLogParser.Str(input, "file_path"u8);
                kind = "write";
                added = Lines(input, "content"u8);
                break;
            case "NotebookEdit":
                path = ClaudeCodeLogParser.Str(input, "notebook_path"u8);
                kind = "notebook_edit";
                var mode = ClaudeCodeLogParser.Str(input, "edit_mode"u8);
                if (mode != "delete")
                {
                    added = Lines(input, "new_source"u8);
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
            if (kind == "write" && ClaudeCodeLogParser.Str(input, "content"u8) is { } newText)
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

    /// <summary>
    /// Lines in the string property <paramref name="property"/>: 0 when absent or empty, else newlines + 1 (a final
    /// newline ends the last line). Counted on the JSON text, never decoded: the parser has validated it, so a newline
    /// is exactly a <c>\n</c> or <c>\u000a</c> escape (a raw one cannot occur) and every escape is one character.
    /// </summary>
    internal static long Lines(JsonElement obj, ReadOnlySpan<byte> property)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return 0;
        }

        var text = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        if (text.IsEmpty)
        {
            return 0;
        }

        long count = 0;
        var endsWithNewline = false;
        var i = 0;
        while (i < text.Length)
        {
            var k = text[i..].IndexOf((byte)'\\');
            if (k != 0)
            {
                // Unescaped bytes up to the next escape (or the end): not a newline.
                endsWithNewline = false;
                if (k < 0)
                {
                    break;
                }
            }

            var escape = i + k;
            var newline = text[escape + 1] == (byte)'n'
                || (text[escape + 1] == (byte)'u' && Utf8Parser.TryParse(text.Slice(escape + 2, 4), out ushort code, out _, 'x') && code == '\n');
            count += newline ? 1 : 0;
            endsWithNewline = newline;
            i = escape + (text[escape + 1] == (byte)'u' ? 6 : 2);
        }

        return endsWithNewline ? count : count + 1;
    }
}
