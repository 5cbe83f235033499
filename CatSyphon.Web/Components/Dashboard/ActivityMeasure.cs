using CatSyphon.Web.Api;
using CatSyphon.Web.Components.Shared;

namespace CatSyphon.Web.Components.Dashboard;

/// <summary>A measure the activity chart can draw per day.</summary>
public sealed record ActivityMeasure(string Name, Func<ActivityGroup, double> Value, Func<double, string> Display)
{
    public static readonly IReadOnlyList<ActivityMeasure> All =
    [
        new("Sessions", g => g.Sessions, v => Format.Count((long)v)),
        new("Messages", g => g.Messages, v => Format.Count((long)v)),
        new("Tokens", g => g.TotalTokens, v => Format.Tokens((long)v)),
        new("Cost (USD)", g => (double)g.CostUsd, v => Format.Cost((decimal)v)),
    ];

    /// <summary>
    /// One value per UTC day from <paramref name="first"/> to <paramref name="last"/>, zero on days without activity,
    /// so the chart's spacing is true to time.
    /// </summary>
    public IReadOnlyList<(DateOnly Day, double Value)> PerDay(IEnumerable<ActivityGroup> days, DateOnly first, DateOnly last)
    {
        var byDay = days.Where(g => g.Key is not null).ToDictionary(g => DateOnly.ParseExact(g.Key!, "yyyy-MM-dd"), Value);
        var values = new List<(DateOnly, double)>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            values.Add((day, byDay.GetValueOrDefault(day)));
        }

        return values;
    }
}
