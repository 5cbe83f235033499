using System.Globalization;

namespace CatSyphon.Web.Components.Shared;

/// <summary>
/// The time range of a report, as kept in the page address: a preset counted back from today (UTC days, as the API
/// groups them), everything, or chosen days.
/// </summary>
public sealed record ReportRange(string Preset, DateOnly? Start = null, DateOnly? End = null)
{
    public const string Custom = "custom";
    public const string All = "all";

    public static readonly IReadOnlyDictionary<string, string> Presets = new Dictionary<string, string>
    {
        ["7d"] = "Last 7 days",
        ["30d"] = "Last 30 days",
        ["90d"] = "Last 90 days",
        [All] = "All time",
        [Custom] = "Chosen days",
    };

    public static readonly ReportRange Default = new("30d");

    /// <summary>The range an address asks for; anything unknown reads as the default.</summary>
    public static ReportRange Parse(string? preset, string? start, string? end)
    {
        if (preset == Custom && DateOnly.TryParseExact(start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            && DateOnly.TryParseExact(end, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last) && last >= first)
        {
            return new ReportRange(Custom, first, last);
        }

        return preset is not null && Presets.ContainsKey(preset) && preset != Custom ? new ReportRange(preset) : Default;
    }

    /// <summary>[From, To) in UTC; null ends are open.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) Resolve(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return Preset switch
        {
            All => (null, null),
            Custom => (Midnight(Start!.Value), Midnight(End!.Value.AddDays(1))),
            _ => (Midnight(today.AddDays(1 - int.Parse(Preset.TrimEnd('d'), CultureInfo.InvariantCulture))), Midnight(today.AddDays(1))),
        };
    }

    /// <summary>The address parameters of this range (range, from, to), null where not used.</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["range"] = Preset,
        ["from"] = Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = End?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
