using static CatSyphon.Protocol.Tests.TestJson;

namespace CatSyphon.Protocol.Tests;

public class ProtocolTimestampTests
{
    private static readonly DateTimeOffset NewYear = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("\"2026-01-01T00:00:00Z\"")]
    [InlineData("\"2026-01-01T00:00:00z\"")]
    [InlineData("\"2026-01-01t00:00:00Z\"")]
    [InlineData("\"2026-01-01 00:00:00Z\"")]
    [InlineData("\"2026-01-01T01:00:00+01:00\"")]
    [InlineData("\"2026-01-01T01:00:00+0100\"")]
    [InlineData("\"2026-01-01T01:00:00+01\"")]
    [InlineData("\"2025-12-31T19:00:00-05:00\"")]
    [InlineData("\"2026-01-01T05:45:00+05:45\"")]
    [InlineData("\"2026-01-01T00:00:00+00:00\"")]
    [InlineData("\"2026-01-01T00:00:00.000000000Z\"")]
    [InlineData("\"2026-01-01T00:00Z\"")]
    [InlineData("\"2026-01-01T00:00:00\"")] // no offset (Python's naive isoformat): read as UTC
    [InlineData("1767225600")]
    [InlineData("1767225600.0")]
    [InlineData("1.7672256e9")]
    [InlineData("1.7672256E+9")]
    public void Same_instant_in_every_accepted_form(string json)
    {
        Assert.True(ProtocolTimestamp.TryParse(Element(json), out var utc));
        Assert.Equal(NewYear, utc);
        Assert.Equal(TimeSpan.Zero, utc.Offset);
    }

    [Theory]
    [InlineData("\"2026-01-01T00:00:00.5Z\"", 5_000_000)]
    [InlineData("\"2026-01-01T00:00:00,5Z\"", 5_000_000)]
    [InlineData("\"2026-01-01T00:00:00.123Z\"", 1_230_000)]
    [InlineData("\"2026-01-01T00:00:00.123456Z\"", 1_234_560)]
    [InlineData("\"2026-01-01T00:00:00.1234567Z\"", 1_234_567)]
    [InlineData("\"2026-01-01T00:00:00.123456789Z\"", 1_234_567)] // 9 digits (Rust chrono): truncated
    [InlineData("\"2026-01-01T00:00:00.99999999999999999999Z\"", 9_999_999)] // truncated, never rounded up
    [InlineData("\"2026-01-01T01:00:00.123456789+01:00\"", 1_234_567)]
    [InlineData("1767225600.5", 5_000_000)]
    [InlineData("1767225600.123456789", 1_234_567)]
    public void Fractional_seconds_of_any_length(string json, long expectedTicks)
    {
        Assert.True(ProtocolTimestamp.TryParse(Element(json), out var utc));
        Assert.Equal(NewYear.AddTicks(expectedTicks), utc);
    }

    [Fact]
    public void Unix_seconds_edges()
    {
        Assert.True(ProtocolTimestamp.TryParse(Element("0"), out var epoch));
        Assert.Equal(DateTimeOffset.UnixEpoch, epoch);
        Assert.True(ProtocolTimestamp.TryParse(Element("-1.5"), out var before));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(-1.5), before);
        Assert.True(ProtocolTimestamp.TryParse(Element("253402300799"), out var max));
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), max);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2026-01-01\"")]
    [InlineData("\"2026-13-01T00:00:00Z\"")]
    [InlineData("\"2026-02-29T00:00:00Z\"")] // not a leap year
    [InlineData("\"2026-01-32T00:00:00Z\"")]
    [InlineData("\"2026-01-01T24:00:00Z\"")]
    [InlineData("\"2026-01-01T23:60:00Z\"")]
    [InlineData("\"2026-01-01T23:59:60Z\"")]
    [InlineData("\"2026-01-01T00:00:00.Z\"")]
    [InlineData("\"2026-01-01T00:00:00Zjunk\"")]
    [InlineData("\"2026-01-01T00:00:00 Z\"")]
    [InlineData("\"2026-01-01T00:00:00+24:00\"")]
    [InlineData("\"2026-01-01T00:00:00+01:60\"")]
    [InlineData("\"2026-01-01T00:00:00+1\"")]
    [InlineData("\"26-01-01T00:00:00Z\"")]
    [InlineData("\"0000-01-01T00:00:00Z\"")]
    [InlineData("\"0001-01-01T00:00:00+01:00\"")] // before DateTime.MinValue in UTC
    [InlineData("\"9999-12-31T23:59:59-01:00\"")] // after DateTime.MaxValue in UTC
    [InlineData("\"1767225600\"")] // a number in a string is not unix seconds
    [InlineData("\"２０２６-01-01T00:00:00Z\"")] // non-ASCII digits
    [InlineData("1e400")]
    [InlineData("1e300")]
    [InlineData("-1e20")]
    [InlineData("253402300800")]
    [InlineData("1767225600000")] // milliseconds are not accepted (year 57970)
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[]")]
    public void Garbage_is_rejected(string json)
    {
        Assert.False(ProtocolTimestamp.TryParse(Element(json), out _));
    }

    [Fact]
    public void Undefined_element_is_rejected() => Assert.False(ProtocolTimestamp.TryParse(default(System.Text.Json.JsonElement), out _));

    [Fact]
    public void Escaped_text_is_decoded_first()
    {
        Assert.True(ProtocolTimestamp.TryParse(Element("\"2026-01-01T00:00:00\\u005A\""), out var utc));
        Assert.Equal(NewYear, utc);
        Assert.False(ProtocolTimestamp.TryParse(Element("\"2026-01-01T00:00:00\\ud800\""), out _));
    }

    [Fact]
    public void String_overloads_match()
    {
        Assert.True(ProtocolTimestamp.TryParse("2026-01-01T01:00:00+01:00", out var utc));
        Assert.Equal(NewYear, utc);
        Assert.False(ProtocolTimestamp.TryParse((string?)null, out _));
    }

    [Fact]
    public void Format_is_utc_with_z_and_minimal_fraction()
    {
        Assert.Equal("2026-01-01T00:00:00Z", ProtocolTimestamp.Format(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal("2026-01-01T00:00:00.5Z", ProtocolTimestamp.Format(NewYear.AddMilliseconds(500)));
        Assert.Equal("2026-01-01T00:00:00.0000001Z", ProtocolTimestamp.Format(NewYear.AddTicks(1)));
    }

    [Fact]
    public void Canonical_format_has_seven_digits()
    {
        Assert.Equal("2026-01-01T00:00:00.0000000Z", ProtocolTimestamp.FormatCanonical(new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.FromHours(2))));
        Assert.Equal("2026-01-01T00:00:00.1234567Z", ProtocolTimestamp.FormatCanonical(NewYear.AddTicks(1_234_567)));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00.0000000Z")]
    [InlineData("1999-12-31T23:59:59.9999999Z")]
    [InlineData("2026-02-28T09:05:03.0400000Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void Canonical_utf8_form_is_the_string_form(string canonical)
    {
        var value = DateTimeOffset.Parse(canonical, System.Globalization.CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(canonical[0] == '0' || canonical[0] == '9' ? 0 : -5));
        Span<byte> utf8 = stackalloc byte[64];
        var written = ProtocolTimestamp.FormatCanonical(value, utf8);
        Assert.Equal(canonical, System.Text.Encoding.UTF8.GetString(utf8[..written]));
        Assert.Equal(canonical, ProtocolTimestamp.FormatCanonical(value));
    }
}
