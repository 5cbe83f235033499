using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CatSyphon.Protocol;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Commands;

/// <summary>What <c>catsyphon scan --json</c> prints: one object, members in this order, maps sorted by key.</summary>
internal sealed record ScanReport(
    int Files,
    long Bytes,
    int Sessions,
    int Lines,
    int MalformedLines,
    long Events,
    long Messages,
    long ToolCalls,
    IReadOnlyDictionary<string, long> EventsByType,
    ScanTokens Tokens,
    SortedDictionary<string, ScanTokens> ByDay,
    SortedDictionary<string, ScanTokens> ByModel,
    long SecretsRedacted,
    IReadOnlyList<string> Warnings)
{
    private static readonly ScanReportJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static ScanReport From(TreeScanResult result) => new(
        result.Files,
        result.Bytes,
        result.Sessions,
        result.Lines,
        result.MalformedLines,
        result.Events,
        result.EventsByType.GetValueOrDefault(WireName.Of(EventType.Message)),
        result.EventsByType.GetValueOrDefault(WireName.Of(EventType.ToolCall)),
        result.EventsByType,
        ScanTokens.From(result.Tokens.Totals),
        ScanTokens.ByKey(result.Tokens.ByDay),
        ScanTokens.ByKey(result.Tokens.ByModel),
        result.SecretsRedacted,
        result.Warnings);

    public string ToJson() => JsonSerializer.Serialize(this, Json.ScanReport);
}

/// <summary>Token counts as <c>scan --json</c> prints them.</summary>
internal sealed record ScanTokens(
    long Input,
    long Output,
    long CacheCreation,
    [property: JsonPropertyName("cache_creation_1h")] long CacheCreation1h,
    long CacheRead,
    long Total)
{
    public static ScanTokens From(TokenCounts counts) => new(
        counts.InputTokens, counts.OutputTokens, counts.CacheCreationTokens, counts.CacheCreation1hTokens, counts.CacheReadTokens, counts.Total);

    public static SortedDictionary<string, ScanTokens> ByKey(IReadOnlyDictionary<string, TokenCounts> groups) =>
        new(groups.ToDictionary(pair => pair.Key, pair => From(pair.Value)), StringComparer.Ordinal);
}

[JsonSerializable(typeof(ScanReport))]
internal sealed partial class ScanReportJsonContext : JsonSerializerContext;
