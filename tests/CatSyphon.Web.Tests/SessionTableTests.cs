using CatSyphon.Web.Api;
using CatSyphon.Web.Components.Sessions;

namespace CatSyphon.Web.Tests;

public sealed class SessionTableTests : WebComponentTest
{
    private static readonly Guid Workspace = Guid.Parse("11111111-2222-3333-4444-555555555555");

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
}
