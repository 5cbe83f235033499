using CatSyphon.Web.Components.Sessions;

namespace CatSyphon.Web.Tests;

/// <summary>The session page's AI insights: the model's text (written from hostile session text) shown as text, empty lists left out.</summary>
public sealed class SessionLlmInsightsTests : WebComponentTest
{
    [Fact]
    public void The_insights_are_plain_text_and_say_when_they_describe_an_earlier_part_of_the_session()
    {
        var insight = new SessionLlmInsightView(
            "frustrated", "Fixed <img src=x onerror=alert(1)> the parser.", ["<script>alert(2)</script> flaky test"], [], ["write tests first"],
            "gpt-test", new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero), DescribesOlderVersion: true);

        var section = Render<SessionLlmInsights>(parameters => parameters.Add(p => p.Insight, insight));

        Assert.Equal("Fixed <img src=x onerror=alert(1)> the parser.", section.Find("[data-testid=llm-summary]").TextContent.Trim());
        Assert.Empty(section.FindAll("img"));
        Assert.Empty(section.FindAll("script"));
        Assert.Contains("<script>alert(2)</script> flaky test", section.Find("[data-testid=llm-problems]").TextContent);
        Assert.Empty(section.FindAll("[data-testid=llm-features]"));
        Assert.Contains("write tests first", section.Find("[data-testid=llm-learning-opportunities]").TextContent);
        Assert.Contains("an update is due", section.Markup);
        Assert.Equal("frustrated", section.Find("[data-testid=llm-sentiment]").TextContent);
    }
}
