using CatSyphon.ApiService.Apis.Query.Insights;

namespace CatSyphon.ApiService.Tests.Insights;

/// <summary>ISO weeks in UTC: parsing, the default (the last complete week) and the week before across a year's end.</summary>
public sealed class IsoWeekTests
{
    private static readonly DateTimeOffset SundayNoon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_week_runs_from_monday_midnight_utc_to_the_next_monday()
    {
        Assert.True(IsoWeek.TryParse("2026-W49", SundayNoon, out var week));

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), week.Start);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), week.End);
        Assert.Equal("2026-W48", week.Previous.ToString());
    }

    [Fact]
    public void The_default_is_the_last_week_that_has_ended()
    {
        Assert.Equal("2026-W48", IsoWeek.LastCompleteBefore(SundayNoon).ToString());
        Assert.Equal("2026-W49", IsoWeek.LastCompleteBefore(new DateTimeOffset(2026, 12, 7, 0, 30, 0, TimeSpan.Zero)).ToString());
    }

    [Fact]
    public void The_week_before_the_first_is_the_last_of_the_previous_year()
    {
        Assert.True(IsoWeek.TryParse("2026-W01", SundayNoon, out var first));
        Assert.Equal("2025-W52", first.Previous.ToString());
        Assert.True(IsoWeek.TryParse("2020-W53", SundayNoon, out _));
    }

    [Theory]
    [InlineData("2026-W54")]
    [InlineData("2021-W53")]
    [InlineData("2026-W00")]
    [InlineData("2026-49")]
    [InlineData("2026-w49")]
    [InlineData("1999-W10")]
    [InlineData("2026-W50")]
    [InlineData("2026-W49 ")]
    [InlineData("")]
    public void Malformed_missing_and_future_weeks_are_refused(string text) =>
        Assert.False(IsoWeek.TryParse(text, SundayNoon, out _));
}
