using CatSyphon.Protocol;
using CatSyphon.Web.Api;
using CatSyphon.Web.Components.Collectors;

namespace CatSyphon.Web.Tests;

public sealed class CollectorComponentTests : WebComponentTest
{
    [Fact]
    public void A_new_enrollment_token_is_shown_once_inside_the_exact_register_and_watch_commands()
    {
        Answer = call => call == $"POST /api/workspaces/{Workspace}/enrollment-tokens"
            ? new EnrollmentTokenResponse(Guid.NewGuid(), "cset_secret", "cset_se", DateTimeOffset.UtcNow.AddDays(7))
            : null;
        var panel = Render<EnrollmentTokenPanel>(parameters => parameters.Add(p => p.WorkspaceId, Workspace));
        Assert.Empty(panel.FindAll("[data-testid=register-command]"));

        panel.Find("[data-testid=create-enrollment-token]").Click();

        panel.WaitForAssertion(() => Assert.Equal(
            $"catsyphon register --server {ServerUrl} --workspace {Workspace} --token cset_secret",
            panel.Find("[data-testid=register-command]").TextContent));
        Assert.Equal("catsyphon watch", panel.Find("[data-testid=watch-command]").TextContent);
        Assert.NotNull(panel.Find("button[aria-label='Copy the register command']"));
    }

    [Fact]
    public void A_server_that_offers_the_collector_shows_the_one_line_that_installs_it_from_its_feed()
    {
        Answer = call => call == "GET /nuget/v3/flatcontainer/catsyphon.collector/index.json" ? new CollectorFeedVersions(["0.1.0", "0.2.0"]) : null;

        var panel = Render<EnrollmentTokenPanel>(parameters => parameters.Add(p => p.WorkspaceId, Workspace));

        panel.WaitForAssertion(() => Assert.Equal(
            $"dotnet tool install --global CatSyphon.Collector --add-source {ServerUrl}/nuget/v3/index.json",
            panel.Find("[data-testid=install-command]").TextContent));
        Assert.Contains("it needs only the .NET SDK", panel.Markup);
    }

    [Fact]
    public void A_server_without_collector_packages_shows_how_to_pack_the_collector_from_source()
    {
        var panel = Render<EnrollmentTokenPanel>(parameters => parameters.Add(p => p.WorkspaceId, Workspace));

        panel.WaitForAssertion(() => Assert.Contains("bash scripts/pack-collector.sh", panel.Find("[data-testid=install-command]").TextContent));
        Assert.Contains("this server offers no collector package", panel.Markup);
        Assert.Contains("GET /nuget/v3/flatcontainer/catsyphon.collector/index.json", Requests);
    }

    [Fact]
    public void Stale_collectors_are_flagged_and_revoked_ones_can_only_be_deleted()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        CollectorSummary Collector(string host, DateTimeOffset? lastSeen, bool stale, DateTimeOffset? revoked = null) =>
            new(Guid.NewGuid(), Workspace, "catsyphon", "1.0.0", host, "csk_abc", now.AddDays(-3), lastSeen, stale, 4, 1200, revoked, null, 3);

        var table = Render<CollectorTable>(parameters => parameters
            .Add(p => p.Now, now)
            .Add(p => p.Collectors,
            [
                Collector("fresh-host", now.AddMinutes(-2), stale: false),
                Collector("quiet-host", now.AddHours(-5), stale: true),
                Collector("gone-host", now.AddDays(-2), stale: true, revoked: now.AddDays(-1)),
            ]));

        var rows = table.FindAll("tbody tr");
        Assert.Contains("2 min ago", rows[0].TextContent);
        Assert.Empty(rows[0].QuerySelectorAll("[data-testid=stale]"));
        Assert.Contains("5 h ago", rows[1].TextContent);
        Assert.NotNull(rows[1].QuerySelector("[data-testid=stale]"));
        Assert.Contains("revoked", rows[2].TextContent);
        Assert.Null(rows[2].QuerySelector("[data-testid=stale]"));
        Assert.NotNull(rows[2].QuerySelector("button[aria-label='Delete gone-host']"));
        Assert.Null(rows[2].QuerySelector("[aria-label='Actions for gone-host']"));
    }
}
