using CatSyphon.ApiService.Infrastructure;

namespace CatSyphon.ApiService.Tests;

/// <summary>Which part of a range the analytics read from the daily rollups, and which from the raw rows.</summary>
public sealed class RollupWindowTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_range_from_midnight_to_midnight_is_read_from_the_rollups_alone()
    {
        var window = RollupWindow.Of(new TimeRange { From = Day1, To = Day1.AddDays(90) });

        Assert.Equal(new RollupWindow(Day1, Day1.AddDays(90), null, null, null, null), window);
    }

    [Fact]
    public void Parts_of_days_at_the_ends_are_read_raw_and_an_offset_is_taken_as_the_same_instant()
    {
        var from = new DateTimeOffset(2026, 3, 1, 15, 30, 0, TimeSpan.FromHours(2));
        var to = Day1.AddDays(5).AddHours(6);

        var window = RollupWindow.Of(new TimeRange { From = from, To = to });

        Assert.Equal(new RollupWindow(Day1.AddDays(1), Day1.AddDays(5), from.ToUniversalTime(), Day1.AddDays(1), Day1.AddDays(5), to), window);
    }

    [Fact]
    public void A_range_inside_one_day_is_read_raw_with_an_empty_window()
    {
        var window = RollupWindow.Of(new TimeRange { From = Day1.AddHours(3), To = Day1.AddHours(9) });

        Assert.Equal(new RollupWindow(Day1.AddDays(1), Day1.AddDays(1), Day1.AddHours(3), Day1.AddHours(9), null, null), window);
    }

    [Fact]
    public void A_range_that_starts_on_the_calendars_last_day_is_read_raw()
    {
        var from = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

        var window = RollupWindow.Of(new TimeRange { From = from });

        Assert.Equal(new RollupWindow(DateTimeOffset.MaxValue, null, from, DateTimeOffset.MaxValue, null, null), window);
    }

    [Fact]
    public void Open_ends_stay_open_in_the_window()
    {
        Assert.Equal(new RollupWindow(null, null, null, null, null, null), RollupWindow.Of(new TimeRange()));
        Assert.Equal(new RollupWindow(null, Day1, null, null, Day1, Day1.AddHours(1)), RollupWindow.Of(new TimeRange { To = Day1.AddHours(1) }));
        Assert.Equal(new RollupWindow(Day1.AddDays(1), null, Day1.AddHours(1), Day1.AddDays(1), null, null), RollupWindow.Of(new TimeRange { From = Day1.AddHours(1) }));
    }
}
