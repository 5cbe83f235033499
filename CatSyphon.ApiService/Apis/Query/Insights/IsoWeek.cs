using System.Globalization;
using System.Text.RegularExpressions;

namespace CatSyphon.ApiService.Apis.Query.Insights;

/// <summary>An ISO 8601 week (<c>2026-W49</c>) in UTC: Monday 00:00 to the next Monday 00:00.</summary>
public readonly partial record struct IsoWeek(int Year, int Week)
{
    public DateTimeOffset Start => new(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday), TimeSpan.Zero);

    public DateTimeOffset End => Start.AddDays(7);

    public IsoWeek Previous => Containing(Start.AddDays(-7));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-W{Week:D2}");

    public static IsoWeek Containing(DateTimeOffset time)
    {
        var day = time.UtcDateTime;
        return new IsoWeek(ISOWeek.GetYear(day), ISOWeek.GetWeekOfYear(day));
    }

    /// <summary>The last week that has ended by <paramref name="now"/>.</summary>
    public static IsoWeek LastCompleteBefore(DateTimeOffset now) => Containing(now.AddDays(-7));

    /// <summary>
    /// Parses <c>YYYY-Www</c> (a week that exists in that year, from year 2000 on); a week that has not started yet by
    /// <paramref name="now"/> has nothing to report and is refused too.
    /// </summary>
    public static bool TryParse(string? text, DateTimeOffset now, out IsoWeek week)
    {
        week = default;
        var match = text is null ? null : Pattern().Match(text);
        if (match is not { Success: true })
        {
            return false;
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        var number = int.Parse(match.Groups["week"].Value, CultureInfo.InvariantCulture);
        if (year < 2000 || number < 1 || number > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        week = new IsoWeek(year, number);
        return week.Start <= now;
    }

    [GeneratedRegex(@"^(?<year>\d{4})-W(?<week>\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
