namespace CatSyphon.ApiService.Apis.Operations;

/// <summary>A window of whole UTC days that ends with today (today counts as far as it has gone).</summary>
public readonly record struct StorageWindow(DateTimeOffset Now, int Days)
{
    public DateOnly FirstDay => DateOnly.FromDateTime(Now.UtcDateTime).AddDays(1 - Days);

    public DateTimeOffset From => new(FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

/// <summary>How storage growth and the days until the disk budget is full are estimated from what was measured.</summary>
public static class StorageGrowthArithmetic
{
    /// <summary>
    /// The mean events per day since the first ingestion job of the window: over the time actually covered, so a server
    /// a day old is not taken as idle for the rest of the window, and over at least a day, so one burst is not a rate.
    /// </summary>
    public static double EventsPerDay(long events, DateTimeOffset? firstEventAt, DateTimeOffset now) =>
        events <= 0 || firstEventAt is not { } first ? 0 : events / Math.Max(1, (now - first).TotalDays);

    /// <summary>The bytes the application's tables hold per stored event; null while none is stored.</summary>
    public static double? BytesPerEvent(long tableBytes, long storedEvents) => storedEvents > 0 ? (double)tableBytes / storedEvents : null;

    /// <summary>
    /// Days until <paramref name="usedBytes"/> reaches the budget at <paramref name="bytesPerDay"/>: null without a budget,
    /// 0 once it is reached, null when nothing grows (it never fills).
    /// </summary>
    public static double? DaysUntilFull(long? budgetBytes, long usedBytes, double bytesPerDay) =>
        budgetBytes is not { } budget ? null
        : usedBytes >= budget ? 0
        : bytesPerDay > 0 ? (budget - usedBytes) / bytesPerDay
        : null;

    /// <summary>Every day of the window, oldest first, with the events counted on it (0 when none).</summary>
    public static List<EventDay> EveryDay(StorageWindow window, IReadOnlyDictionary<DateOnly, long> counted) =>
        Enumerable.Range(0, window.Days)
            .Select(offset => window.FirstDay.AddDays(offset))
            .Select(day => new EventDay(day, counted.GetValueOrDefault(day)))
            .ToList();
}
