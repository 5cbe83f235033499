using System.Globalization;
using static CatSyphon.Protocol.Tests.Parsing.ClaudeTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>The parser reads Claude Code's usual timestamp shape itself: it must agree with the general parser everywhere.</summary>
public class ClaudeTimestampTests
{
    [Theory]
    [InlineData("2026-01-05T10:00:00.123Z")]
    [InlineData("2024-02-29T23:59:59.999Z")]
    [InlineData("0001-01-01T00:00:00.000Z")]
    [InlineData("9999-12-31T23:59:59.999Z")]
    [InlineData("2025-02-29T10:00:00.000Z")]
    [InlineData("2026-04-31T10:00:00.000Z")]
    [InlineData("2026-13-05T10:00:00.000Z")]
    [InlineData("2026-01-05T24:00:00.000Z")]
    [InlineData("2026-01-05T10:60:00.000Z")]
    [InlineData("2026-01-05T10:00:60.000Z")]
    [InlineData("0000-01-05T10:00:00.000Z")]
    [InlineData("2026-01-05t10:00:00.000z")]
    [InlineData("2026-01-05 10:00:00.000Z")]
    [InlineData("2026-01-05T10:00:00Z")]
    [InlineData("2026-01-05T10:00:00.1234567Z")]
    [InlineData("2026-01-05T10:00:00.000+02:00")]
    [InlineData("2026-01-0xT10:00:00.000Z")]
    [InlineData("not a time at all, 24 ch")]
    public void Timestamps_read_as_the_general_parser_reads_them(string ts)
    {
        var expected = DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : DateTimeOffset.UnixEpoch;

        var r = Parse(Jsonl(User("\"hello\"", ts: ts)));

        var message = Assert.Single(r.Events, e => e.Event.Type == "message").Event;
        Assert.Equal(expected, message.EmittedAt);
        Assert.Equal(expected.Offset, message.EmittedAt.Offset);
    }
}
