using System.CommandLine;
using System.Globalization;

namespace CatSyphon.Collector.Configuration;

/// <summary>
/// The collector's tunable numbers (command-line options), each checked when the command line is parsed: a value
/// out of range stops the command with a clear error before anything is read or sent, rather than failing later
/// inside a timer or silently being replaced.
/// </summary>
internal static class CollectorOptions
{
    /// <summary>The longest wait a timer takes (<see cref="SemaphoreSlim.WaitAsync(TimeSpan)"/>: int.MaxValue milliseconds).</summary>
    public const double MaxSeconds = int.MaxValue / 1000;

    /// <summary>A number of seconds: above 0 and at most <see cref="MaxSeconds"/>.</summary>
    public static Option<double> Seconds(string name, string description, double defaultValue) =>
        Checked(name, description, defaultValue, value => value is > 0 and <= MaxSeconds,
            $"a number of seconds above 0 and at most {MaxSeconds.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A count of things done at once: at least 1.</summary>
    public static Option<int> AtLeastOne(string name, string description, int defaultValue) =>
        Checked(name, description, defaultValue, value => value >= 1, "at least 1");

    private static Option<T> Checked<T>(string name, string description, T defaultValue, Func<T, bool> isValid, string rule)
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (!isValid(value))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {rule} (got {value})."));
            }
        });
        return option;
    }
}
