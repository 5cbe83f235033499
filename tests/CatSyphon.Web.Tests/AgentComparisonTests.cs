using CatSyphon.Web.Components.Dashboard;

namespace CatSyphon.Web.Tests;

/// <summary>The dashboard's agents side by side: names people know, each leading to its sessions, with use, cost and outcomes.</summary>
public sealed class AgentComparisonTests : WebComponentTest
{
    private static ActivityGroup Agent(string? type, long sessions, long input, decimal cost, double? successRate, Dictionary<string, long> tagged) =>
        new() { Key = type, Sessions = sessions, Messages = sessions * 10, InputTokens = input, CostUsd = cost, SuccessRate = successRate, TaggedOutcomes = tagged };

    [Fact]
    public void Each_agent_shows_its_name_sessions_tokens_cost_success_rate_and_tagged_outcomes()
    {
        var table = Render<AgentComparison>(parameters => parameters.Add(p => p.WorkspaceId, Workspace).Add(p => p.Groups,
        [
            Agent("claude-code", 5, 1_500_000, 12.5m, 0.625, new() { ["success"] = 2, ["partial"] = 1, ["failed"] = 1 }),
            Agent("gemini-cli", 1, 54_874, 0m, null, []),
            Agent("aider", 3, 83_800, 0m, 1.0, new() { ["success"] = 3 }),
            Agent("some-new-agent", 2, 0, 0m, null, new() { ["unknown"] = 2 }),
        ]));

        var claude = table.Find("[data-testid=agent-claude-code]");
        Assert.Equal(
            ["Claude Code", "5", "50", "1.5M", "$12.50", "62.5%", "2 success · 1 partial · 1 failed"],
            claude.QuerySelectorAll("td").Select(cell => cell.TextContent.Trim()));
        Assert.Equal($"/w/{Workspace}/sessions?agent_type=claude-code", claude.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Gemini CLI", table.Find("[data-testid=agent-gemini-cli] a").TextContent);
        Assert.Equal("—", table.Find("[data-testid=agent-gemini-cli] td:nth-child(6)").TextContent.Trim());
        Assert.Equal("none tagged yet", table.Find("[data-testid=agent-gemini-cli] td:nth-child(7)").TextContent.Trim());
        Assert.Equal("Aider", table.Find("[data-testid=agent-aider] a").TextContent);
        Assert.Equal("100%", table.Find("[data-testid=agent-aider] td:nth-child(6)").TextContent.Trim());
        // An agent this server has no format for keeps the name its collector sent.
        Assert.Equal("some-new-agent", table.Find("[data-testid=agent-some-new-agent] a").TextContent);
        Assert.Equal("2 unknown", table.Find("[data-testid=agent-some-new-agent] td:nth-child(7)").TextContent.Trim());
    }

    [Fact]
    public void A_range_without_sessions_says_so()
    {
        var table = Render<AgentComparison>(parameters => parameters.Add(p => p.WorkspaceId, Workspace).Add(p => p.Groups, []));

        Assert.Contains("No session in this range.", table.Markup);
        Assert.Empty(table.FindAll("table"));
    }
}
