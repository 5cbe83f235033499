using System.Globalization;

namespace CatSyphon.IntegrationTests;

/// <summary>Reads Prometheus's text exposition format (<c>name{labels} value</c> lines), as a scrape returns it.</summary>
public static class PrometheusSamples
{
    /// <summary>The first sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>; null when there is none.</summary>
    public static double? Value(string exposition, string metric, string? label = null)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal) || line.Length <= metric.Length
                || line[metric.Length] is not ('{' or ' ') || (label is not null && !line.Contains(label, StringComparison.Ordinal)))
            {
                continue;
            }

            var rest = line[metric.Length] == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[metric.Length..];
            var value = rest.Trim().Split(' ')[0];
            return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return null;
    }
}
