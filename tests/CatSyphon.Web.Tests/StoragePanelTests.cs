using CatSyphon.Web.Components.Dashboard;

namespace CatSyphon.Web.Tests;

/// <summary>The ingestion page's storage panel asks only for what the reader's roles allow and shows it.</summary>
public sealed class StoragePanelTests : WebComponentTest
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static WorkspaceEventDays Events(params long[] perDay) =>
        new(Workspace, "Team", perDay.Select((events, index) => new EventDay(Today.AddDays(index - perDay.Length + 1), events)).ToList());

    [Fact]
    public void A_workspace_admin_sees_the_workspaces_events_per_day_and_no_database_figures()
    {
        Answer = call => call.StartsWith("GET /api/ops/storage/events?", StringComparison.Ordinal) ? Events(0, 12, 30) : null;

        var panel = Render<StoragePanel>(parameters => parameters.Add(p => p.WorkspaceId, Workspace).Add(p => p.WorkspaceAdmin, true));

        panel.WaitForAssertion(() => Assert.Contains("42 events accepted", panel.Find("[data-testid=events-per-day-caption]").TextContent));
        Assert.Equal(["GET /api/ops/storage/events?workspace_id=" + Workspace + "&days=14"], Requests);
        var bars = panel.FindAll("[data-testid=events-per-day] rect");
        Assert.Equal(3, bars.Count);
        Assert.Equal("0", bars[0].GetAttribute("height"));
        Assert.Equal("48", bars[2].GetAttribute("height"));
        Assert.Equal("2026-12-05: 12 events", bars[1].TextContent.Trim());
        Assert.Empty(panel.FindAll("[data-testid=metric-database-size]"));
    }

    [Fact]
    public void An_organization_admin_sees_size_growth_and_days_until_the_budget_is_full()
    {
        var growth = new StorageGrowth(14, 1000, 2048, 2048 * 1000, 10L << 30, 512.3);
        var report = new StorageReport(DateTimeOffset.UtcNow, 3L << 30, [new TableSize("messages", 2L << 30, 1L << 30, 1L << 30, 100)], [Events(5)], growth);
        Answer = call => call == "GET /api/ops/storage?days=14" ? report : null;

        var panel = Render<StoragePanel>(parameters => parameters
            .Add(p => p.WorkspaceId, Workspace).Add(p => p.OrganizationAdmin, true).Add(p => p.WorkspaceAdmin, true));

        panel.WaitForAssertion(() => Assert.Equal("3 GiB", panel.Find("[data-testid=metric-database-size]").TextContent));
        Assert.Equal("2 MiB", panel.Find("[data-testid=metric-growth-per-day]").TextContent);
        Assert.Equal("512.3 days", panel.Find("[data-testid=metric-days-until-budget-full]").TextContent);
        Assert.Contains("of a 10 GiB budget", panel.Markup);
        Assert.Contains("messages 2 GiB", panel.Markup);
        Assert.Contains("5 events accepted", panel.Find("[data-testid=events-per-day-caption]").TextContent);
        Assert.Equal(["GET /api/ops/storage?days=14"], Requests);
    }

    [Fact]
    public void A_member_is_shown_no_storage_and_nothing_is_asked()
    {
        var panel = Render<StoragePanel>(parameters => parameters.Add(p => p.WorkspaceId, Workspace));

        Assert.Empty(panel.Markup.Trim());
        Assert.Empty(Requests);
    }
}
