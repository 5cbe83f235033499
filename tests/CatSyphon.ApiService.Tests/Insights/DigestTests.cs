using CatSyphon.ApiService.Apis.Query.Insights;
using CatSyphon.Contracts;
using System.Text.RegularExpressions;
using Markdig;

namespace CatSyphon.ApiService.Tests.Insights;

/// <summary>The weekly digest's metrics against the previous week, and its Markdown: hostile session text stays inert text.</summary>
public sealed class DigestTests
{
    private static readonly Guid Workspace = Guid.NewGuid();

    private const string Hostile =
        "[click me](https://evil.example/x) <script>alert(1)</script> **bold** _it_ `code` # head | cell @here @channel <!here> www.evil.example a@b.io";

    [Fact]
    public void Each_metric_has_the_previous_weeks_value_and_the_change()
    {
        var digest = DigestBuilder.Build(Facts(
            new WeekMeasures(12, 3, 1_500_000, 12.3456m, Decided: 8, Success: 5, Partial: 2, ToolErrors: 7, TestRuns: 20, Commits: 9),
            new WeekMeasures(9, 4, 1_000_000, 10m, Decided: 4, Success: 1, Partial: 0, ToolErrors: 9, TestRuns: 5, Commits: 9)));

        Assert.Equal(new DigestMetric("sessions", "Sessions", 12, 9, 3), Metric(digest, "sessions"));
        Assert.Equal(new DigestMetric("developers", "Developers", 3, 4, -1), Metric(digest, "developers"));
        Assert.Equal(500_000m, Metric(digest, "tokens").Change);
        Assert.Equal((12.35m, 2.35m), (Metric(digest, "cost_usd").Value!.Value, Metric(digest, "cost_usd").Change!.Value));
        Assert.Equal((75m, 25m, 50m), (Metric(digest, "success_rate").Value!.Value, Metric(digest, "success_rate").Previous!.Value, Metric(digest, "success_rate").Change!.Value));
        Assert.Equal(-2m, Metric(digest, "tool_errors").Change);
        Assert.Equal(15m, Metric(digest, "test_runs").Change);
        Assert.Equal(0m, Metric(digest, "commits").Change);
        Assert.Equal(("2026-W49", "2026-W48"), (digest.Week, digest.PreviousWeek));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), digest.From);
    }

    [Fact]
    public void A_week_without_decided_outcomes_has_no_success_rate_and_no_change()
    {
        var digest = DigestBuilder.Build(Facts(WeekMeasures.None with { Sessions = 2 }, WeekMeasures.None with { Decided = 2, Success = 2 }));

        Assert.Equal(new DigestMetric("success_rate", "Success rate (%)", null, 100m, null), Metric(digest, "success_rate"));
        Assert.Contains("| Success rate (%) | n/a | 100 | n/a |", DigestMarkdown.Render(digest));
    }

    [Fact]
    public void Lists_are_cut_to_five_and_further_sections_come_last()
    {
        var sessions = Enumerable.Range(1, 7).Select(i => Session($"win {i}", SessionOutcome.Success)).ToList();
        var digest = DigestBuilder.Build(Facts(WeekMeasures.None, WeekMeasures.None) with { Wins = sessions },
            [new DigestSection("Narrative", ["A calm week."])]);

        Assert.Equal(5, digest.Wins.Count);
        var markdown = DigestMarkdown.Render(digest);
        Assert.EndsWith("## Narrative\n\n- A calm week.\n", markdown);
        Assert.Contains("| Sessions | 0 | 0 | 0 |", markdown);
    }

    [Fact]
    public void Hostile_titles_and_names_cannot_add_links_pings_formatting_or_html()
    {
        var hostile = Session(Hostile, SessionOutcome.Success) with { Project = Hostile, Developer = "@everyone\n# Owned" };
        var digest = DigestBuilder.Build(Facts(WeekMeasures.None, WeekMeasures.None) with
        {
            Wins = [hostile],
            Blockers = [hostile with { Outcome = SessionOutcome.Failed }],
            ErrorTargets = [new DigestCount("<img src=x onerror=alert(1)>", 3)],
            Highlights = new DigestHighlights(hostile, new DigestCount(Hostile, 4), [Hostile], ["@here"], [new DigestCount("*csharp*", 2)]),
        });

        var markdown = DigestMarkdown.Render(digest, "https://catsyphon.example.com/");
        var html = Markdown.ToHtml(markdown, new MarkdownPipelineBuilder().UseAdvancedExtensions().Build());

        var links = Regex.Matches(html, "<a ").Count;
        Assert.Equal(3, links); // the digest's own three session links, nothing from the text
        Assert.Equal(3, Regex.Matches(html, $"href=\"https://catsyphon.example.com/w/{Workspace}/sessions/").Count);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<em>", html);
        Assert.DoesNotContain("<code>", html);
        Assert.Single(Regex.Matches(html, "<h1"));
        Assert.DoesNotContain("<strong>bold</strong>", html);
        // Ordinal: to a culture comparison the zero-width space that breaks a mention is ignorable.
        Assert.DoesNotContain("@here", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("@everyone", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<!here>", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("https://evil", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("www.evil", markdown, StringComparison.Ordinal);
        Assert.Contains("alert(1)", html.Replace("&lt;", "<")); // the text is still there to read
    }

    [Theory]
    [InlineData("[a](b)", @"\[a\]\(b\)")]
    [InlineData("x | y", @"x \| y")]
    [InlineData("line one\n\n# two", @"line one \# two")]
    [InlineData("<b>&amp;", "&lt;b&gt;&amp;amp;")]
    [InlineData("ping @here", "ping @\u200Bhere")]
    [InlineData("see http://x.y", "see http:\u200B//x.y")]
    [InlineData("tab\tand\u0007bell", "tab andbell")]
    public void Escape_makes_a_value_one_inert_line(string value, string expected) =>
        Assert.Equal(expected, DigestMarkdown.Escape(value));

    [Fact]
    public void Escape_bounds_a_value()
    {
        var escaped = DigestMarkdown.Escape(new string('a', 10_000));

        Assert.Equal(DigestMarkdown.ValueLength, escaped.Length);
        Assert.EndsWith("…", escaped);
    }

    private static DigestFacts Facts(WeekMeasures current, WeekMeasures previous)
    {
        Assert.True(IsoWeek.TryParse("2026-W49", new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), out var week));
        return new DigestFacts(Workspace, week, current, previous, [], [], [], new DigestHighlights(null, null, [], [], []));
    }

    private static DigestSession Session(string title, SessionOutcome outcome)
    {
        var id = Guid.NewGuid();
        return new DigestSession(id, title, "api", "ana", outcome, 2, 3, 0, null, 42, $"/w/{Workspace}/sessions/{id}");
    }

    private static DigestMetric Metric(WeeklyDigest digest, string name) => Assert.Single(digest.Metrics, m => m.Name == name);
}
