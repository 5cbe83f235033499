using CatSyphon.Web.Components.Export;

namespace CatSyphon.Web.Tests;

/// <summary>The export buttons: plain download links through the web front end, the workspace's only after a confirmation.</summary>
public sealed class ExportActionsTests : WebComponentTest
{
    [Fact]
    public void A_person_s_own_export_is_a_download_link_through_the_web_front_end()
    {
        var actions = Render<ExportActions>();

        var link = actions.Find("[data-testid=export-mine]");
        Assert.Equal("/export/me", link.GetAttribute("href"));
        // A "download" link is saved by the browser, never taken by Blazor's router for a page.
        Assert.True(link.HasAttribute("download"));
        Assert.Empty(Requests);
    }

    [Fact]
    public void A_workspace_s_export_says_what_it_holds_before_its_link_is_offered_and_can_be_cancelled()
    {
        var actions = Render<ExportActions>(parameters => parameters.Add(p => p.WorkspaceId, Workspace));
        Assert.Empty(actions.FindAll($"a[href='/export/workspaces/{Workspace}']"));

        actions.Find("[data-testid=export-workspace]").Click();
        Assert.Contains("everyone's transcripts", actions.Find("[data-testid=export-workspace-confirm]").TextContent);
        Assert.True(actions.Find($"a[href='/export/workspaces/{Workspace}']").HasAttribute("download"));

        actions.FindAll("button").Single(button => button.TextContent.Contains("Cancel")).Click();
        Assert.Empty(actions.FindAll("[data-testid=export-workspace-confirm]"));
    }
}
