using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace CatSyphon.Protocol.Parsing.Claude;

/// <summary>
/// A line's <c>timestamp</c>, read as <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>
/// reads it (invariant culture, UTC assumed and adjusted to). Claude Code writes one shape,
/// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>: that shape is read straight from the UTF-8 bytes, since the general parser and
/// the string it needs cost more than anything else done with a line's header; any other text goes to the
/// general parser, which settles it as before.
/// </summary>
internal static class ClaudeTimestamp
{
    private const int CommonLength = 24; // yyyy-MM-ddTHH:mm:ss.fffZ

    public static DateTimeOffset? Read(JsonElement rec)
    {
        if (!rec.TryGetProperty("timestamp"u8, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (TryReadCommonShape(raw[1..^1], out var common))
        {
            return common;
        }

        return DateTimeOffset.TryParse(ClaudeCodeLogParser.SafeString(value), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
    }

    private static bool TryReadCommonShape(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length != CommonLength || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || s[19] != '.' || s[23] != 'Z'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)
            || !Digits(s, 20, 3, out var millisecond))
        {
            return false;
        }

        // Out of range (a leap second, day 31 of a short month): the general parser decides.
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        foreach (var b in s.Slice(start, count))
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
