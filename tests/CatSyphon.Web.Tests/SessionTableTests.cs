using CatSyphon.Web.Api;
using CatSyphon.Web.Components.Sessions;

namespace CatSyphon.Web.Tests;

public sealed class SessionTableTests : WebComponentTest
{
    [Fact]
    public void A_sessions_sub_agents_open_beneath_it_on_demand()
    {
        var parent = new ConversationSummary { Id = Guid.NewGuid(), SessionId = "main-1", Status = "completed", Models = [], ChildCount = 1, HasPlan = true };
        var child = new ConversationSummary { Id = Guid.NewGuid(), SessionId = "main-1:agent-x", Status = "completed", Models = [], ParentConversationId = parent.Id, MessageCount = 7 };
        Answer = call => call.StartsWith($"GET /api/conversations?workspace_id={Workspace}&parent_id={parent.Id}", StringComparison.Ordinal)
            ? new ConversationPage([child], null)
            : null;
        var table = Render<SessionTable>(parameters => parameters.Add(p => p.WorkspaceId, Workspace).Add(p => p.Sessions, [parent]));
        Assert.Empty(table.FindAll(".sub-agents"));

        table.Find("button[aria-label='Show 1 sub-agent session']").Click();

        table.WaitForAssertion(() => Assert.Contains("main-1:agent-x", table.Find(".sub-agents").TextContent));
        Assert.Equal($"/w/{Workspace}/sessions/{child.Id}", table.Find(".sub-agents a.session-link").GetAttribute("href"));
        Assert.Equal("true", table.Find("button[aria-label='Hide 1 sub-agent session']").GetAttribute("aria-expanded"));
        Assert.Contains("plan", table.Find(".session-title").TextContent);
    }

    [Fact]
    public void A_session_is_listed_by_its_title_as_text_with_its_id_beside_it()
    {
        var titled = new ConversationSummary
        {
            Id = Guid.NewGuid(), SessionId = "s-1", Title = "<img src=x onerror=alert(1)> Fix the login", Status = "completed", Models = [],
        };
        var untitled = new ConversationSummary { Id = Guid.NewGuid(), SessionId = "s-2", Status = "active", Models = [] };

        var table = Render<SessionTable>(parameters => parameters.Add(p => p.WorkspaceId, Workspace).Add(p => p.Sessions, [titled, untitled]));

        var links = table.FindAll("a.session-link");
        Assert.Equal(["<img src=x onerror=alert(1)> Fix the login", "Session s-2"], links.Select(link => link.TextContent));
        Assert.Empty(table.FindAll(".session-title img"));
        Assert.Equal(["s-1", "s-2"], table.FindAll("[data-testid=session-id]").Select(id => id.TextContent));
    }
}
