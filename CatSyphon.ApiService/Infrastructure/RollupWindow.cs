namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// How a time range is read from the daily rollups (<c>token_usage_days</c>, <c>tool_call_days</c>): the whole UTC days it
/// covers from the rollups, the parts of days at its ends (a range that does not start or end at midnight UTC) from the
/// raw rows. The dashboard's ranges run midnight to midnight, so its edges are empty and never read.
/// </summary>
/// <param name="WindowFrom">First whole day (its midnight, UTC) read from the rollups; null when the range is open there.</param>
/// <param name="WindowTo">Midnight that ends the rollups' days (exclusive); null when the range is open there.</param>
/// <param name="LowerFrom">The raw part before the window, [LowerFrom, LowerTo); both null when there is none.</param>
/// <param name="UpperFrom">The raw part after the window, [UpperFrom, UpperTo); both null when there is none.</param>
public sealed record RollupWindow(
    DateTimeOffset? WindowFrom, DateTimeOffset? WindowTo,
    DateTimeOffset? LowerFrom, DateTimeOffset? LowerTo, DateTimeOffset? UpperFrom, DateTimeOffset? UpperTo)
{
    /// <summary>SQL: rollup row <paramref name="alias"/>'s day is in the window (named parameters @window_from, @window_to).</summary>
    public static string DayInWindow(string alias) => $"""
        (CAST(@window_from AS timestamptz) IS NULL OR {alias}.day >= (CAST(@window_from AS timestamptz) AT TIME ZONE 'UTC')::date)
        AND (CAST(@window_to AS timestamptz) IS NULL OR {alias}.day < (CAST(@window_to AS timestamptz) AT TIME ZONE 'UTC')::date)
        """;

    /// <summary>
    /// SQL: <paramref name="time"/> (a raw row's timestamp) falls in one of the raw parts. A null bound makes its part
    /// false, which the planner drops before reading anything.
    /// </summary>
    public static string InEdges(string time) => $"""
        (({time} >= @lower_from AND {time} < @lower_to) OR ({time} >= @upper_from AND {time} < @upper_to))
        """;

    public static RollupWindow Of(TimeRange range)
    {
        var from = SqlQueries.Utc(range.From);
        var to = SqlQueries.Utc(range.To);
        DateTimeOffset? first = from is { } start ? Midnight(start) < start ? NextMidnight(start) : start : null;
        DateTimeOffset? end = to is { } stop ? Midnight(stop) : null;
        if (first is { } a && end is { } b && a >= b)
        {
            // Within one day (or less): no whole day to read from the rollups, everything raw.
            return new RollupWindow(a, a, from, to, null, null);
        }

        return new RollupWindow(first, end,
            from == first ? null : from, from == first ? null : first,
            to == end ? null : end, to == end ? null : to);
    }

    /// <summary>The SQL parameters that <see cref="DayInWindow"/> and <see cref="InEdges"/> read, by name.</summary>
    public IEnumerable<(string Name, DateTimeOffset? Value)> Bounds =>
    [
        ("window_from", WindowFrom), ("window_to", WindowTo),
        ("lower_from", LowerFrom), ("lower_to", LowerTo), ("upper_from", UpperFrom), ("upper_to", UpperTo),
    ];

    private static DateTimeOffset Midnight(DateTimeOffset utc) => new(utc.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>The midnight after <paramref name="utc"/>; on the calendar's last day there is none, so the end of time.</summary>
    private static DateTimeOffset NextMidnight(DateTimeOffset utc) =>
        utc.UtcDateTime.Date == DateTime.MaxValue.Date ? DateTimeOffset.MaxValue : Midnight(utc).AddDays(1);
}
