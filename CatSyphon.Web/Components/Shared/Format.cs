using System.Globalization;

namespace CatSyphon.Web.Components.Shared;

/// <summary>How numbers, money, times and durations read on every page.</summary>
public static class Format
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("N0", Culture);

    /// <summary>"1 session", "4 sessions".</summary>
    public static string Quantity(long value, string noun) => $"{Count(value)} {noun}{(value == 1 ? "" : "s")}";

    /// <summary>Token counts in short form: 950, 12.3k, 4.5M, 1.2B.</summary>
    public static string Tokens(long value) => value switch
    {
        >= 1_000_000_000 => (value / 1e9).ToString("0.##", Culture) + "B",
        >= 1_000_000 => (value / 1e6).ToString("0.##", Culture) + "M",
        >= 10_000 => (value / 1e3).ToString("0.#", Culture) + "k",
        _ => Count(value),
    };

    /// <summary>USD, with enough decimals that a small session's cost does not read as $0.00.</summary>
    public static string Cost(decimal usd) => usd switch
    {
        0 => "$0",
        < 0.01m => "$" + usd.ToString("0.####", Culture),
        < 100 => "$" + usd.ToString("0.00", Culture),
        _ => "$" + usd.ToString("N0", Culture),
    };

    /// <summary>A cost with the tokens it leaves out, since unpriced tokens are not free.</summary>
    public static string CostWithUnpriced(decimal usd, long unpricedTokens) =>
        unpricedTokens > 0 ? $"{Cost(usd)} + {Tokens(unpricedTokens)} unpriced tokens" : Cost(usd);

    /// <summary>Sizes in binary units: 512 B, 3.4 KiB, 12.5 MiB, 1.2 GiB.</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var unit = 0;
        for (; Math.Abs(bytes) >= 1024 && unit < units.Length - 1; unit++)
        {
            bytes /= 1024;
        }

        return (unit == 0 ? bytes.ToString("0", Culture) : bytes.ToString("0.#", Culture)) + " " + units[unit];
    }

    public static string Percent(double share) => (share * 100).ToString("0.#", Culture) + "%";

    public static string Duration(double? seconds) => seconds switch
    {
        null => "—",
        < 60 => $"{seconds:0}s",
        < 3600 => $"{(int)(seconds / 60)}m {(int)(seconds % 60)}s",
        _ => $"{(int)(seconds / 3600)}h {(int)(seconds % 3600 / 60)}m",
    };

    /// <summary>Times are shown in UTC, the API's days being UTC days.</summary>
    public static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Culture) ?? "—";

    public static string Ago(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } then)
        {
            return "never";
        }

        var elapsed = now - then;
        return elapsed.TotalSeconds switch
        {
            < 60 => "just now",
            < 3600 => $"{(int)elapsed.TotalMinutes} min ago",
            < 86_400 => $"{(int)elapsed.TotalHours} h ago",
            _ => $"{(int)elapsed.TotalDays} d ago",
        };
    }
}
