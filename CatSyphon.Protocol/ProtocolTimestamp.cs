using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using CatSyphon.Protocol.Internal;

namespace CatSyphon.Protocol;

/// <summary>
/// Timestamps of the protocol. Accepted: ISO-8601 / RFC 3339 text (<c>2026-01-01T00:00:00Z</c>,
/// offsets <c>+01:00</c> / <c>+0100</c> / <c>+01</c>, fractional seconds of any length — truncated to
/// 100 ns — a space instead of <c>T</c>, and no offset at all, read as UTC because that is what
/// Python's naive <c>isoformat()</c> produces), or unix seconds as a JSON number (integer or fractional).
/// Results are always UTC. Answers are written as UTC with <c>Z</c>.
/// </summary>
public static class ProtocolTimestamp
{
    private const long MinUnixSeconds = -62_135_596_800; // 0001-01-01T00:00:00Z
    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
    private const int MaxTextLength = 64;

    /// <summary>Parses a JSON string (ISO-8601) or number (unix seconds). Never throws.</summary>
    public static bool TryParse(JsonElement value, out DateTimeOffset utc)
    {
        utc = default;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
            {
                var raw = JsonMarshal.GetRawUtf8Value(value);
                var content = raw[1..^1];
                if (content.Length > MaxTextLength * 6)
                {
                    return false;
                }

                Span<char> chars = stackalloc char[content.Length];
                var n = JsonStringCodec.Decode(content, chars, out var invalid);
                return invalid == 0 && TryParse(chars[..n], out utc);
            }

            case JsonValueKind.Number:
                return TryParseUnixSeconds(JsonMarshal.GetRawUtf8Value(value), value, out utc);

            default:
                return false;
        }
    }

    /// <summary>Parses ISO-8601 text (see the type's remarks). Never throws.</summary>
    public static bool TryParse(string? text, out DateTimeOffset utc)
    {
        if (text is null)
        {
            utc = default;
            return false;
        }

        return TryParse(text.AsSpan(), out utc);
    }

    /// <summary>Parses ISO-8601 text (see the type's remarks). Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset utc)
    {
        utc = default;
        if (text.Length is < 16 or > MaxTextLength)
        {
            return false;
        }

        var p = 0;
        if (!Digits(text, ref p, 4, out var year) || !Expect(text, ref p, '-')
            || !Digits(text, ref p, 2, out var month) || !Expect(text, ref p, '-')
            || !Digits(text, ref p, 2, out var day))
        {
            return false;
        }

        if (p >= text.Length || text[p] is not ('T' or 't' or ' '))
        {
            return false;
        }

        p++;
        if (!Digits(text, ref p, 2, out var hour) || !Expect(text, ref p, ':') || !Digits(text, ref p, 2, out var minute))
        {
            return false;
        }

        var second = 0;
        long fractionTicks = 0;
        if (p < text.Length && text[p] == ':')
        {
            p++;
            if (!Digits(text, ref p, 2, out second))
            {
                return false;
            }

            if (p < text.Length && text[p] is '.' or ',')
            {
                p++;
                var digits = 0;
                while (p < text.Length && char.IsAsciiDigit(text[p]))
                {
                    if (digits < 7)
                    {
                        fractionTicks = (fractionTicks * 10) + (text[p] - '0');
                    }

                    digits++;
                    p++;
                }

                if (digits == 0)
                {
                    return false;
                }

                for (var i = digits; i < 7; i++)
                {
                    fractionTicks *= 10;
                }
            }
        }

        long offsetTicks = 0;
        if (p < text.Length)
        {
            var sign = text[p];
            if (sign is 'Z' or 'z')
            {
                p++;
            }
            else if (sign is '+' or '-')
            {
                p++;
                if (!Digits(text, ref p, 2, out var offsetHours) || offsetHours > 23)
                {
                    return false;
                }

                var offsetMinutes = 0;
                if (p < text.Length)
                {
                    if (text[p] == ':')
                    {
                        p++;
                    }

                    if (!Digits(text, ref p, 2, out offsetMinutes) || offsetMinutes > 59)
                    {
                        return false;
                    }
                }

                offsetTicks = ((offsetHours * 60L) + offsetMinutes) * TimeSpan.TicksPerMinute;
                if (sign == '-')
                {
                    offsetTicks = -offsetTicks;
                }
            }
            else
            {
                return false;
            }
        }

        if (p != text.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = new DateTime(year, month, day).Ticks
            + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond)
            + fractionTicks - offsetTicks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Converts unix seconds (fraction truncated to 100 ns) to UTC; false when out of range.</summary>
    public static bool TryFromUnixSeconds(decimal seconds, out DateTimeOffset utc)
    {
        if (seconds < MinUnixSeconds || seconds >= MaxUnixSeconds + 1)
        {
            utc = default;
            return false;
        }

        var ticks = (long)decimal.Truncate(seconds * TimeSpan.TicksPerSecond);
        utc = new DateTimeOffset(DateTime.UnixEpoch.Ticks + ticks, TimeSpan.Zero);
        return true;
    }

    private static bool TryParseUnixSeconds(ReadOnlySpan<byte> raw, JsonElement value, out DateTimeOffset utc)
    {
        if (Utf8Parser.TryParse(raw, out long whole, out var consumed) && consumed == raw.Length)
        {
            return TryFromUnixSeconds(whole, out utc);
        }

        if (value.TryGetDecimal(out var exact))
        {
            return TryFromUnixSeconds(exact, out utc);
        }

        // Exponents beyond decimal's range: only tiny magnitudes can still be in range.
        if (value.TryGetDouble(out var approximate) && double.IsFinite(approximate)
            && approximate >= MinUnixSeconds && approximate < MaxUnixSeconds + 1)
        {
            return TryFromUnixSeconds((decimal)approximate, out utc);
        }

        utc = default;
        return false;
    }

    /// <summary>Answer format: UTC, <c>Z</c>, fraction only as long as needed (<c>2026-01-01T00:00:00Z</c>, <c>…00.5Z</c>).</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Canonical form used for hashing: UTC, exactly 7 fractional digits, <c>Z</c> (28 characters).</summary>
    public static string FormatCanonical(DateTimeOffset value) =>
        value.UtcDateTime.ToString(CanonicalFormat, CultureInfo.InvariantCulture);

    // The round-trip format of a UTC DateTime is exactly the canonical one, and the runtime formats it without parsing a pattern.
    private const string CanonicalFormat = "O";

    /// <summary>Writes the canonical form as UTF-8 (28 bytes) and returns its length.</summary>
    public static int FormatCanonical(DateTimeOffset value, Span<byte> utf8) =>
        value.UtcDateTime.TryFormat(utf8, out var written, CanonicalFormat, CultureInfo.InvariantCulture)
            ? written
            : throw new InvalidOperationException("Timestamp buffer too small.");

    private static bool Digits(ReadOnlySpan<char> text, ref int p, int count, out int value)
    {
        value = 0;
        if (p + count > text.Length)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var c = text[p + i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        p += count;
        return true;
    }

    private static bool Expect(ReadOnlySpan<char> text, ref int p, char c)
    {
        if (p < text.Length && text[p] == c)
        {
            p++;
            return true;
        }

        return false;
    }
}
