using System.Globalization;
using CatSyphon.Telemetry.Otlp.Wire;

namespace CatSyphon.Telemetry.Otlp;

/// <summary>
/// Reads an attribute as the type the server needs, whatever the agent sent it as: Claude Code sends counts as
/// <c>intValue</c> numbers or as <c>stringValue</c> ("30"), Codex sends counts and <c>success</c> as strings.
/// </summary>
internal static class OtlpValue
{
    public static string? Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        _ => null,
    };

    public static double? Number(AnyValue? value)
    {
        var number = value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.IntValue => value.IntValue,
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
            AnyValue.ValueOneofCase.StringValue when double.TryParse(
                value.StringValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => (double?)null,
        };
        return number is { } n && double.IsFinite(n) && Math.Abs(n) <= TelemetryLimits.MaxMagnitude ? n : null;
    }

    /// <summary>A whole, non-negative count up to <paramref name="max"/>; anything else is absent.</summary>
    public static long? Count(AnyValue? value, long max = TelemetryLimits.MaxTokens) =>
        Number(value) is { } n && n >= 0 && n <= max && Math.Floor(n) == n ? (long)n : null;

    public static bool? Flag(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.StringValue when bool.TryParse(value.StringValue.Trim(), out var parsed) => parsed,
        AnyValue.ValueOneofCase.IntValue when value.IntValue is 0 or 1 => value.IntValue == 1,
        _ => null,
    };

    /// <summary>Text cut to <paramref name="max"/> UTF-16 code units without splitting a surrogate pair; null when empty.</summary>
    public static string? Bounded(string? text, int max = TelemetryLimits.MaxShortText)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Length <= max)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..cut];
    }

    /// <summary>Nanoseconds since the Unix epoch as a time (any 64-bit value fits, up to the year 2554); null for 0, unset.</summary>
    public static DateTimeOffset? Time(ulong unixNanos) =>
        unixNanos == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks((long)(unixNanos / 100));
}
