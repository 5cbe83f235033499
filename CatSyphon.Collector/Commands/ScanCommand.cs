using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using CatSyphon.Protocol;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Commands;

/// <summary><c>catsyphon scan PATH... [--json]</c>: parses without sending and reports what the logs hold.</summary>
internal static class ScanCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var paths = new Argument<string[]>("path") { Description = "Log files or folders (e.g. ~/.claude/projects, ~/.codex/sessions)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (files, sessions, lines, messages, tool calls, tokens overall, by_day and by_model)" };
        var command = new Command("scan", "Parse session logs without sending them and print what they hold") { paths, json };

        command.SetAction((parse, _) => CollectorCommands.RunAsync(errors, async () =>
        {
            var roots = parse.GetValue(paths)!;
            var missing = roots.Where(path => !File.Exists(path) && !Directory.Exists(path)).ToList();
            if (missing.Count > 0)
            {
                throw new CollectorException($"No such file or folder: {string.Join(", ", missing)}");
            }

            var result = new LogTreeScanner(SessionLogParsers.All).Scan(roots);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(ToJson(result));
            }
            else
            {
                await WriteSummaryAsync(output, result);
            }

            return 0;
        }));
        return command;
    }

    private static string ToJson(TreeScanResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("files", result.Files);
            w.WriteNumber("bytes", result.Bytes);
            w.WriteNumber("sessions", result.Sessions);
            w.WriteNumber("lines", result.Lines);
            w.WriteNumber("malformed_lines", result.MalformedLines);
            w.WriteNumber("events", result.Events);
            w.WriteNumber("messages", result.EventsByType.GetValueOrDefault(WireName.Of(EventType.Message)));
            w.WriteNumber("tool_calls", result.EventsByType.GetValueOrDefault(WireName.Of(EventType.ToolCall)));
            w.WriteStartObject("events_by_type");
            foreach (var (type, count) in result.EventsByType)
            {
                w.WriteNumber(type, count);
            }

            w.WriteEndObject();
            WriteCounts(w, "tokens", result.Tokens.Totals);
            WriteGroups(w, "by_day", result.Tokens.ByDay);
            WriteGroups(w, "by_model", result.Tokens.ByModel);
            w.WriteStartArray("warnings");
            foreach (var warning in result.Warnings)
            {
                w.WriteStringValue(warning);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteGroups(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, TokenCounts>> groups)
    {
        w.WriteStartObject(name);
        foreach (var (key, counts) in groups)
        {
            WriteCounts(w, key, counts);
        }

        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, TokenCounts counts)
    {
        w.WriteStartObject(name);
        w.WriteNumber("input", counts.InputTokens);
        w.WriteNumber("output", counts.OutputTokens);
        w.WriteNumber("cache_creation", counts.CacheCreationTokens);
        w.WriteNumber("cache_creation_1h", counts.CacheCreation1hTokens);
        w.WriteNumber("cache_read", counts.CacheReadTokens);
        w.WriteNumber("total", counts.Total);
        w.WriteEndObject();
    }

    private static async Task WriteSummaryAsync(TextWriter output, TreeScanResult result)
    {
        await output.WriteLineAsync($"{result.Files} files, {result.Bytes / 1_048_576.0:F1} MB, {result.Sessions} sessions, {result.Lines} lines ({result.MalformedLines} malformed)");
        await output.WriteLineAsync($"{result.Events} events: {string.Join(", ", result.EventsByType.Select(pair => $"{pair.Value} {pair.Key}"))}");
        var tokens = result.Tokens.Totals;
        await output.WriteLineAsync($"tokens: {tokens.Total:N0} (input {tokens.InputTokens:N0}, output {tokens.OutputTokens:N0}, cache creation {tokens.CacheCreationTokens:N0} ({tokens.CacheCreation1hTokens:N0} 1-hour), cache read {tokens.CacheReadTokens:N0})");
        foreach (var (model, counts) in result.Tokens.ByModel)
        {
            await output.WriteLineAsync($"  {model}: {counts.Total:N0}");
        }
    }
}
