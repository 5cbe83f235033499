using System.Text.Json;
using CatSyphon.Web.Api;
using CatSyphon.Web.Components.Sessions;

namespace CatSyphon.Web.Tests;

public sealed class TranscriptEntryViewTests : WebComponentTest
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Thinking_is_folded_away_under_the_reply()
    {
        var entry = new TranscriptEntry(3, "message", "assistant", "response", "I will refactor it.", "The tokenizer splits on spaces",
            "claude-sonnet-4-5", null, null, null, At, new TokenCounts(100, 50, 10, 1000), null, null);

        var view = Render<TranscriptEntryView>(parameters => parameters.Add(p => p.Entry, entry));

        var thinking = view.Find("details[data-testid=thinking]");
        Assert.False(thinking.HasAttribute("open"));
        Assert.Contains("The tokenizer splits on spaces", thinking.TextContent);
        Assert.Contains("I will refactor it.", view.Find("article > [data-testid=markdown]").TextContent);
        Assert.Contains("Assistant", view.Find(".entry-role").TextContent);
        Assert.Contains("1,160 tokens", view.Find(".entry-header").TextContent);
    }

    [Fact]
    public void A_failed_tool_call_shows_its_parameters_and_result_and_is_marked_as_an_error()
    {
        var call = new CatSyphon.Contracts.ToolCallView("toolu_1", "Bash", JsonDocument.Parse("""{"command":"pytest -q"}""").RootElement, "1 failed, 3 passed", false,
            "1 failed, 3 passed", At, At.AddSeconds(30));
        var entry = new TranscriptEntry(5, "tool_call", "assistant", "tool_call", null, null, null, null, null, null, At, null, call, null);

        var view = Render<TranscriptEntryView>(parameters => parameters.Add(p => p.Entry, entry));

        Assert.Contains("entry-error", view.Find("article").ClassList);
        Assert.Equal("Tool call: Bash", view.Find(".entry-role").TextContent);
        Assert.Equal("failed", view.Find("[data-testid=tool-error]").TextContent.Trim());
        Assert.Contains("\"command\": \"pytest -q\"", view.Find(".tool-call-parameters").TextContent);
        Assert.Contains("Result (error)", view.Find(".tool-call-result summary").TextContent);
        Assert.Contains("1 failed, 3 passed", view.Find(".tool-call-result").TextContent);
        Assert.Contains("30s", view.Find(".tool-call-status").TextContent);
    }

    [Fact]
    public void Tool_parameters_read_as_written_without_escaped_quotes()
    {
        var call = new CatSyphon.Contracts.ToolCallView("toolu_2", "Edit", JsonDocument.Parse("""{"new_string":"WORD = r\"[\\w']+\" <b>"}""").RootElement, "ok", true,
            null, At, At.AddSeconds(1));
        var entry = new TranscriptEntry(6, "tool_call", "assistant", "tool_call", null, null, null, null, null, null, At, null, call, null);

        var view = Render<TranscriptEntryView>(parameters => parameters.Add(p => p.Entry, entry));

        var shown = view.Find(".tool-call-parameters").TextContent;
        Assert.Contains("""WORD = r\"[\\w']+\" <b>""", shown);
        Assert.DoesNotContain("\\u00", shown);
        Assert.DoesNotContain("<b>", view.Find(".tool-call-parameters").InnerHtml);
    }

    [Fact]
    public void Long_content_is_folded_until_asked_for()
    {
        var content = string.Join('\n', Enumerable.Range(1, 40).Select(i => $"line {i}"));
        var entry = new TranscriptEntry(2, "message", "human", "prompt", content, null, null, null, null, null, At, null, null, null);

        var view = Render<TranscriptEntryView>(parameters => parameters.Add(p => p.Entry, entry));

        // Messages are Markdown now; the fold works the same way.
        Assert.DoesNotContain("line 40", view.Find("[data-testid=markdown]").TextContent);
        var unfold = view.Find("button[aria-expanded=false]");
        Assert.Contains("Show all 40 lines", unfold.TextContent);

        unfold.Click();

        Assert.Contains("line 40", view.Find("[data-testid=markdown]").TextContent);
        Assert.NotNull(view.Find("button[aria-expanded=true]"));
    }
}
