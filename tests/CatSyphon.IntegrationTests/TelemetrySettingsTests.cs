using System.Text.RegularExpressions;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// The settings <c>catsyphon telemetry</c> prints (the get-started page shows the same with a placeholder key) deliver
/// the agents' OpenTelemetry to the server as written: Claude Code's endpoint and header, and Codex's per-signal endpoints.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed partial class TelemetrySettingsTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-telemetry-settings-")
{
    [Fact]
    public async Task The_printed_claude_code_and_codex_settings_deliver_telemetry_to_the_workspace()
    {
        var workspace = await RegisterInNewWorkspaceAsync();
        var (exit, output, _) = await RunAsync("telemetry");
        Assert.Equal(0, exit);

        var endpoint = ClaudeVariable().Match(output) is { Success: true } e ? e.Groups["value"].Value : throw new Xunit.Sdk.XunitException(output);
        Assert.Equal(App.BaseUrl(ResourceNames.Api).TrimEnd('/'), endpoint);
        var header = ClaudeHeader().Match(output);
        Assert.True(header.Success, output);
        Assert.StartsWith("cs_live_", header.Groups["key"].Value);
        // The OTel SDK appends /v1/logs to the endpoint and sends the header as written.
        using (var claude = new HttpClient())
        {
            claude.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {header.Groups["key"].Value}");
            using var sent = await claude.PostAsync($"{endpoint}/v1/logs", Body("claude-code-logs.json"));
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        var codexMetrics = CodexEndpoint().Matches(output).Select(m => (Url: m.Groups["url"].Value, Key: m.Groups["key"].Value)).ToList();
        Assert.Equal([$"{endpoint}/v1/logs", $"{endpoint}/v1/metrics"], codexMetrics.Select(m => m.Url));
        Assert.All(codexMetrics, m => Assert.Equal(header.Groups["key"].Value, m.Key));
        using (var codex = new HttpClient())
        {
            codex.DefaultRequestHeaders.TryAddWithoutValidation("authorization", $"Bearer {codexMetrics[1].Key}");
            using var sent = await codex.PostAsync(codexMetrics[1].Url, Body("claude-code-metrics.json"));
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        using var admin = App.CreateAdminClient();
        var telemetry = await Poll.LatestAsync(
            async () => await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/stats/telemetry?workspace_id={workspace}")),
            report => report.GetProperty("reported").GetProperty("events").GetInt64() > 0 && report.GetProperty("reported").GetProperty("metric_points").GetInt64() > 0,
            TimeSpan.FromSeconds(60));
        Assert.True(telemetry.GetProperty("sessions").GetInt64() >= 1, telemetry.ToString());
    }

    private static ByteArrayContent Body(string fixture)
    {
        var content = new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "telemetry", fixture)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    [GeneratedRegex("export OTEL_EXPORTER_OTLP_ENDPOINT=(?<value>\\S+)")]
    private static partial Regex ClaudeVariable();

    [GeneratedRegex("export OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer (?<key>[^\"]+)\"")]
    private static partial Regex ClaudeHeader();

    [GeneratedRegex("endpoint = \"(?<url>[^\"]+)\", protocol = \"binary\", headers = \\{ \"authorization\" = \"Bearer (?<key>[^\"]+)\" \\}")]
    private static partial Regex CodexEndpoint();
}
