namespace CatSyphon.Protocol;

/// <summary>
/// The settings that switch Claude Code's and Codex's OpenTelemetry on and send it to a CatSyphon server (OTLP/HTTP with
/// protobuf, the collector's key as the bearer token): shown by the get-started page and printed, with the key filled
/// in, by <c>catsyphon telemetry</c>.
/// </summary>
public static class AgentTelemetrySettings
{
    /// <summary>What the page shows where the machine's own collector key goes.</summary>
    public const string KeyPlaceholder = "<collector key>";

    /// <summary>Claude Code's environment (a shell profile, or the <c>env</c> block of its settings.json).</summary>
    public static string ClaudeCodeEnvironment(string serverUrl, string collectorKey) => $"""
        export CLAUDE_CODE_ENABLE_TELEMETRY=1
        export OTEL_METRICS_EXPORTER=otlp
        export OTEL_LOGS_EXPORTER=otlp
        export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
        export OTEL_EXPORTER_OTLP_ENDPOINT={serverUrl.TrimEnd('/')}
        export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer {collectorKey}"
        """;

    /// <summary>Codex's <c>[otel]</c> table in <c>~/.codex/config.toml</c>: each signal with its full path (Codex does not add it).</summary>
    public static string CodexConfig(string serverUrl, string collectorKey)
    {
        var server = serverUrl.TrimEnd('/');
        return $$"""
            [otel]
            exporter = { otlp-http = { endpoint = "{{server}}/v1/logs", protocol = "binary", headers = { "authorization" = "Bearer {{collectorKey}}" } } }
            metrics_exporter = { otlp-http = { endpoint = "{{server}}/v1/metrics", protocol = "binary", headers = { "authorization" = "Bearer {{collectorKey}}" } } }
            """;
    }
}
