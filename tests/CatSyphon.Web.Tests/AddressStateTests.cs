using CatSyphon.Web.Components.Sessions;
using CatSyphon.Web.Components.Shared;
using CatSyphon.Web.Components.Workspaces;
using CatSyphon.Web.Services;

namespace CatSyphon.Web.Tests;

/// <summary>What the page addresses keep: the archive's filters, a report's range, the workspace.</summary>
public sealed class AddressStateTests
{
    private static readonly Guid Workspace = Guid.Parse("11111111-2222-3333-4444-555555555555");

    [Fact]
    public void Archive_filters_survive_a_round_trip_through_the_address()
    {
        var filter = new SessionFilter
        {
            Q = "tokenizer \"split on\"", ProjectId = Guid.NewGuid(), DeveloperId = Guid.NewGuid(), AgentType = "claude-code",
            Model = "claude-sonnet-4-5", Status = "completed", Outcome = "success", From = new DateOnly(2026, 3, 1), To = new DateOnly(2026, 3, 31),
            HasPlan = true, HasErrors = false, Cursor = "a_123_abc",
        };
        var query = string.Join('&', filter.ToUrlParameters().Where(p => p.Value is not null)
            .Select(p => $"{p.Key}={Uri.EscapeDataString((string)p.Value!)}"));

        Assert.Equal(filter, SessionFilter.FromUri($"https://web.test/w/{Workspace}/sessions?{query}"));
        Assert.True(SessionFilter.FromUri($"https://web.test/w/{Workspace}/sessions?has_plan=maybe&from=yesterday").IsEmpty);
    }

    [Fact]
    public void Browsing_lists_main_sessions_and_searching_looks_through_sub_agents_too()
    {
        var browse = new SessionFilter { From = new DateOnly(2026, 3, 1), To = new DateOnly(2026, 3, 31) }.ToApiQuery(Workspace).ToString();
        var search = new SessionFilter { Q = "  tokenizer " }.ToApiQuery(Workspace).ToString();

        Assert.Equal($"?workspace_id={Workspace}&kind=main&from=2026-03-01T00%3A00%3A00Z&to=2026-04-01T00%3A00%3A00Z&limit=50", browse);
        Assert.Equal($"?workspace_id={Workspace}&q=tokenizer&limit=50", search);
    }

    [Fact]
    public void Report_ranges_count_whole_utc_days_back_from_today()
    {
        var now = new DateTimeOffset(2026, 3, 10, 15, 30, 0, TimeSpan.Zero);

        Assert.Equal((new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero)),
            ReportRange.Parse("7d", null, null).Resolve(now));
        Assert.Equal((null, null), ReportRange.Parse("all", null, null).Resolve(now));
        Assert.Equal((new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)),
            ReportRange.Parse("custom", "2026-02-01", "2026-02-28").Resolve(now));
        Assert.Equal(ReportRange.Default, ReportRange.Parse("custom", "2026-02-28", "2026-02-01"));
        Assert.Equal(ReportRange.Default, ReportRange.Parse("1y", null, null));
    }

    [Theory]
    [InlineData("Platform Team", "platform-team")]
    [InlineData("  Ünïcode & Co. 2026! ", "n-code-co-2026")]
    [InlineData("---", "")]
    public void Workspace_slugs_are_made_from_names(string name, string slug)
    {
        Assert.Equal(slug, WorkspaceSlug.From(name));
        Assert.Equal(slug.Length > 0, WorkspaceSlug.IsValid(slug));
    }

    [Theory]
    [InlineData("/w/{0}/sessions/99999999-2222-3333-4444-555555555555?q=x", "/w/{1}/sessions")]
    [InlineData("/w/{0}?range=7d", "/w/{1}")]
    [InlineData("/w/{0}/collectors", "/w/{1}/collectors")]
    [InlineData("/workspaces/new", "/w/{1}")]
    public void Switching_workspace_keeps_the_section_but_not_what_belongs_to_the_old_one(string path, string expected)
    {
        var other = Guid.NewGuid();

        Assert.Equal(string.Format(expected, Workspace, other), WorkspaceRoutes.SameSectionIn("https://web.test" + string.Format(path, Workspace, other), other));
        Assert.Equal(path.StartsWith("/w/", StringComparison.Ordinal) ? Workspace : null, WorkspaceRoutes.WorkspaceOf("https://web.test" + string.Format(path, Workspace, other)));
    }
}
