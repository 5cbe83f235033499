using System.CommandLine;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Commands;

/// <summary><c>catsyphon scan PATH... [--json]</c>: parses without sending and reports what the logs hold.</summary>
internal static class ScanCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var paths = new Argument<string[]>("path") { Description = $"Log files or folders (e.g. {string.Join(", ", AgentFormatRegistry.Default.DefaultFolders(AgentHost.Described()))})", Arity = ArgumentArity.OneOrMore };
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

            var result = new LogTreeScanner(AgentFormatRegistry.Default).Scan(roots);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(ScanReport.From(result).ToJson());
            }
            else
            {
                await WriteSummaryAsync(output, result);
            }

            return 0;
        }));
        return command;
    }

    private static async Task WriteSummaryAsync(TextWriter output, TreeScanResult result)
    {
        await output.WriteLineAsync($"{result.Files} files, {result.Bytes / 1_048_576.0:F1} MB, {result.Sessions} sessions, {result.Lines} lines ({result.MalformedLines} malformed)");
        await output.WriteLineAsync($"{result.Events} events: {string.Join(", ", result.EventsByType.Select(pair => $"{pair.Value} {pair.Key}"))}");
        await output.WriteLineAsync($"secrets redacted before sending: {result.SecretsRedacted}");
        var tokens = result.Tokens.Totals;
        await output.WriteLineAsync($"tokens: {tokens.Total:N0} (input {tokens.InputTokens:N0}, output {tokens.OutputTokens:N0}, cache creation {tokens.CacheCreationTokens:N0} ({tokens.CacheCreation1hTokens:N0} 1-hour), cache read {tokens.CacheReadTokens:N0})");
        foreach (var (model, counts) in result.Tokens.ByModel)
        {
            await output.WriteLineAsync($"  {model}: {counts.Total:N0}");
        }
    }
}
