using CatSyphon.Web.Components.Sessions;

namespace CatSyphon.Web.Tests;

/// <summary>The archive's outcome and intent badges and the session page's tags panel with its evidence.</summary>
public sealed class SessionTagsTests : WebComponentTest
{
    private static readonly SessionTags Tags = new(SessionIntent.BugFix, SessionOutcome.Failed, 2, 3, ["Bash", "Edit"], ["python"], ["src", "tests"]);

    [Fact]
    public void The_archive_row_shows_outcome_and_intent_once_tagged_and_nothing_before()
    {
        var tagged = new ConversationSummary { Id = Guid.NewGuid(), SessionId = "s-1", Status = "completed", Models = [], Tags = Tags };
        var untagged = new ConversationSummary { Id = Guid.NewGuid(), SessionId = "s-2", Status = "active", Models = [] };

        var table = Render<SessionTable>(parameters => parameters.Add(p => p.WorkspaceId, Workspace).Add(p => p.Sessions, [tagged, untagged]));

        var badges = Assert.Single(table.FindAll("[data-testid=session-tags]"));
        Assert.Equal("failed", badges.QuerySelector("[data-testid=outcome-badge]")!.TextContent.Trim());
        Assert.Equal("bug fix", badges.QuerySelector("[data-testid=intent-badge]")!.TextContent.Trim());
    }

    [Fact]
    public void The_tags_panel_lists_the_evidence_as_text()
    {
        TagEvidence[] evidence =
        [
            new("outcome", "the last test run failed: pytest -q", 42),
            new("intent", "the prompt says \"fix\": \"<script>alert(1)</script> fix it\"", 3),
            new("files", "2 files changed: python, src", null),
        ];

        var panel = Render<SessionTagsPanel>(parameters => parameters.Add(p => p.Tags, Tags).Add(p => p.Evidence, evidence)
            .Add(p => p.SessionHref, "/w/1/sessions/2"));

        var rows = panel.FindAll("[data-testid=tag-evidence] tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Contains("#42", rows[0].TextContent);
        // Each event number opens the transcript at that event; evidence without one links nowhere.
        Assert.Equal(["/w/1/sessions/2?event=42", "/w/1/sessions/2?event=3"],
            panel.FindAll("[data-testid=evidence-event]").Select(link => link.GetAttribute("href")));
        Assert.Contains("—", rows[2].TextContent);
        Assert.Empty(panel.FindAll("script"));
        Assert.Contains("<script>alert(1)</script>", rows[1].TextContent);
        Assert.Contains("2 iterations · 3 tool errors", panel.Find(".session-tags-summary").TextContent);
    }

    [Fact]
    public void An_untagged_session_says_when_tags_come()
    {
        var panel = Render<SessionTagsPanel>(parameters => parameters.Add(p => p.Tags, null).Add(p => p.SessionHref, "/w/1/sessions/2"));

        Assert.Contains("once the session is over", panel.Markup);
    }
}
