using CatSyphon.Web.Components.Collectors;
using CatSyphon.Web.Components.Telemetry;

namespace CatSyphon.Web.Tests;

/// <summary>A session's telemetry tab and the get-started page's telemetry settings.</summary>
public sealed class TelemetryPanelsTests : WebComponentTest
{
    private static readonly Guid Conversation = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");

    private static SessionTelemetry Telemetry(ReportedTelemetry reported, bool telemetryOnly = false) => new(
        Conversation, "s-1", "claude-code", telemetryOnly, reported, new PricedTotals(null, 1000, 500, 0, 8500, 1.25m, 0),
        [new ToolDecisionCount("accept", "user", 7), new ToolDecisionCount("reject", "config", 2)],
        [new ApiErrorCount(529, 3), new ApiErrorCount(null, 1)],
        [new TelemetryPerson("dev@example.com", "acc-1", Guid.NewGuid(), "Dana Dev", 40)]);

    [Fact]
    public void A_session_shows_what_its_agent_reported_beside_catsyphons_own_count()
    {
        var reported = new ReportedTelemetry
        {
            CostUsd = 1.5, InputTokens = 1000, OutputTokens = 500, CacheReadTokens = 9000, ActiveTimeUserSeconds = 90, ActiveTimeCliSeconds = 30,
            LinesAdded = 120, LinesRemoved = 14, Commits = 2, PullRequests = 1, ToolDecisionsAccepted = 7, ToolDecisionsRejected = 2,
            ApiRequests = 40, ApiErrors = 4, ApiLatencyP50Ms = 812.4, ApiLatencyP95Ms = 2301, Events = 55, MetricPoints = 12,
        };
        Answer = call => call == $"GET /api/conversations/{Conversation}/telemetry?workspace_id={Workspace}" ? Telemetry(reported) : null;

        var panel = Render<SessionTelemetryPanel>(parameters => parameters.Add(p => p.WorkspaceId, Workspace).Add(p => p.ConversationId, Conversation));

        panel.WaitForAssertion(() => Assert.Contains("Cost, as reported", panel.Markup));
        Assert.Equal("$1.50", panel.Find("[data-testid='metric-cost,-as-reported']").TextContent);
        Assert.Contains("CatSyphon's price: $1.25", panel.Markup);
        Assert.Equal("10.5k", panel.Find("[data-testid='metric-tokens,-as-reported']").TextContent);
        Assert.Contains("CatSyphon counted 10k in the transcripts", panel.Markup);
        Assert.Equal("2m 0s", panel.Find("[data-testid='metric-active-time']").TextContent);
        Assert.Equal("+120 −14", panel.Find("[data-testid='metric-lines-of-code']").TextContent);
        Assert.Contains("1 pull request", panel.Markup);
        Assert.Equal("812 ms", panel.Find("[data-testid='metric-api-latency']").TextContent);
        Assert.Contains("accept · user", panel.Markup);
        Assert.Contains("no status (network)", panel.Markup);
        Assert.Contains("Dana Dev", panel.Markup);
        Assert.Empty(panel.FindAll("[data-testid=no-telemetry]"));
    }

    [Fact]
    public void A_session_without_telemetry_says_how_to_switch_it_on()
    {
        Answer = call => call.StartsWith($"GET /api/conversations/{Conversation}/telemetry", StringComparison.Ordinal) ? Telemetry(ReportedTelemetry.None) : null;

        var panel = Render<SessionTelemetryPanel>(parameters => parameters.Add(p => p.WorkspaceId, Workspace).Add(p => p.ConversationId, Conversation));

        panel.WaitForAssertion(() => Assert.Contains("This session sent no telemetry", panel.Find("[data-testid=no-telemetry]").TextContent));
        Assert.Equal($"/w/{Workspace}/get-started", panel.Find("[data-testid=no-telemetry] a").GetAttribute("href"));
    }

    [Fact]
    public void The_get_started_page_shows_the_exact_claude_code_and_codex_settings_for_this_server()
    {
        var setup = Render<AgentTelemetrySetup>();

        var claude = setup.Find("[data-testid=claude-telemetry-settings]").TextContent;
        Assert.Contains("export CLAUDE_CODE_ENABLE_TELEMETRY=1", claude);
        Assert.Contains($"export OTEL_EXPORTER_OTLP_ENDPOINT={ServerUrl}", claude);
        Assert.Contains("export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", claude);
        Assert.Contains("export OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer <collector key>\"", claude);
        var codex = setup.Find("[data-testid=codex-telemetry-settings]").TextContent;
        Assert.Contains("[otel]", codex);
        Assert.Contains($"endpoint = \"{ServerUrl}/v1/logs\"", codex);
        Assert.Contains($"endpoint = \"{ServerUrl}/v1/metrics\"", codex);
        Assert.Contains("catsyphon telemetry", setup.Markup);
    }
}
