using CatSyphon.ApiService.Apis.Operations;
using CatSyphon.Contracts;

namespace CatSyphon.ApiService.Tests;

/// <summary>How growth per day and the days until the disk budget is full are estimated.</summary>
public sealed class StorageGrowthArithmeticTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Days_left_are_the_budgets_free_bytes_over_the_growth_per_day()
    {
        Assert.Equal(25.0, StorageGrowthArithmetic.DaysUntilFull(budgetBytes: 1_000_000, usedBytes: 500_000, bytesPerDay: 20_000));
    }

    [Fact]
    public void Without_a_budget_or_without_growth_there_are_no_days_left_but_a_reached_budget_is_zero_days()
    {
        Assert.Null(StorageGrowthArithmetic.DaysUntilFull(budgetBytes: null, usedBytes: 500, bytesPerDay: 10));
        Assert.Null(StorageGrowthArithmetic.DaysUntilFull(budgetBytes: 1000, usedBytes: 500, bytesPerDay: 0));
        Assert.Equal(0.0, StorageGrowthArithmetic.DaysUntilFull(budgetBytes: 1000, usedBytes: 1000, bytesPerDay: 0));
        Assert.Equal(0.0, StorageGrowthArithmetic.DaysUntilFull(budgetBytes: 1000, usedBytes: 4000, bytesPerDay: 10));
    }

    [Fact]
    public void Events_per_day_are_averaged_over_the_time_since_the_first_job_and_at_least_a_day()
    {
        Assert.Equal(700.0, StorageGrowthArithmetic.EventsPerDay(7000, Now.AddDays(-10), Now), precision: 9);
        // Two hours of history is not a rate of twelve times as much per day.
        Assert.Equal(300.0, StorageGrowthArithmetic.EventsPerDay(300, Now.AddHours(-2), Now), precision: 9);
        Assert.Equal(0.0, StorageGrowthArithmetic.EventsPerDay(0, null, Now));
    }

    [Fact]
    public void Bytes_per_event_are_unknown_until_an_event_is_stored()
    {
        Assert.Null(StorageGrowthArithmetic.BytesPerEvent(tableBytes: 81_920, storedEvents: 0));
        Assert.Equal(2048.0, StorageGrowthArithmetic.BytesPerEvent(tableBytes: 2_048_000, storedEvents: 1000));
    }

    [Fact]
    public void The_window_lists_every_utc_day_ending_today_with_zero_for_days_without_events()
    {
        var window = new StorageWindow(new DateTimeOffset(2026, 12, 6, 1, 30, 0, TimeSpan.FromHours(3)), Days: 3);
        var days = StorageGrowthArithmetic.EveryDay(window, new Dictionary<DateOnly, long> { [new DateOnly(2026, 12, 5)] = 42 });

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero), window.From);
        Assert.Equal([new EventDay(new(2026, 12, 3), 0), new EventDay(new(2026, 12, 4), 0), new EventDay(new(2026, 12, 5), 42)], days);
    }
}
