using System.Text.Encodings.Web;
using System.Text.Json;
using CatSyphon.Protocol.Parsing;
using CatSyphon.Protocol.Parsing.Claude;

// Usage: CatSyphon.TokenScan <dir>   (a Claude config dir holding projects/, or any tree of Claude logs)
if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: CatSyphon.TokenScan <directory>");
    return 2;
}

var root = args[0];
var projects = Path.Combine(root, "projects");
var result = new LogTreeScanner([new ClaudeCodeLogParser()]).Scan(Directory.Exists(projects) ? projects : root);

using var stdout = Console.OpenStandardOutput();
using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
{
    w.WriteStartObject();
    w.WriteNumber("files", result.Files);
    w.WriteNumber("bytes", result.Bytes);
    w.WriteNumber("lines", result.Lines);
    w.WriteNumber("malformed_lines", result.MalformedLines);
    w.WriteNumber("events", result.Events);
    w.WriteStartObject("events_by_type");
    foreach (var (type, count) in result.EventsByType)
    {
        w.WriteNumber(type, count);
    }

    w.WriteEndObject();
    w.WriteNumber("usage_records", result.Tokens.UsageRecords);
    w.WriteNumber("distinct_responses", result.Tokens.DistinctResponses);
    WriteCounts(w, "totals", result.Tokens.Totals);
    w.WriteStartObject("by_day");
    foreach (var (day, counts) in result.Tokens.ByDay)
    {
        WriteCounts(w, day, counts);
    }

    w.WriteEndObject();
    w.WriteStartObject("by_model");
    foreach (var (model, counts) in result.Tokens.ByModel)
    {
        WriteCounts(w, model, counts);
    }

    w.WriteEndObject();
    w.WriteStartArray("warnings");
    foreach (var warning in result.Warnings)
    {
        w.WriteStringValue(warning);
    }

    w.WriteEndArray();
    w.WriteEndObject();
}

stdout.Write("\n"u8);
return 0;

static void WriteCounts(Utf8JsonWriter w, string name, TokenCounts c)
{
    w.WriteStartObject(name);
    w.WriteNumber("input", c.InputTokens);
    w.WriteNumber("output", c.OutputTokens);
    w.WriteNumber("cache_creation", c.CacheCreationTokens);
    w.WriteNumber("cache_read", c.CacheReadTokens);
    w.WriteNumber("total", c.Total);
    w.WriteEndObject();
}
