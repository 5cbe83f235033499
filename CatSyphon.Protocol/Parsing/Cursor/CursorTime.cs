using System.Text.Json;

namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// Cursor's times: epoch milliseconds on chats and composers (<c>createdAt</c>, <c>lastUpdatedAt</c>,
/// <c>lastSendTime</c>), an ISO string or nothing on modern messages, nothing at all on the old layout's messages.
/// </summary>
/// <remarks>
/// Where a message has no time of its own it is dated from its chat and its place in it, so the order stays the order
/// Cursor shows and a chat's events never go back in time: a composer's <c>i</c>-th message at <c>createdAt + i</c>
/// milliseconds (stable while the composer grows), a chat tab's at <c>lastSendTime − (n − 1 − i)</c> milliseconds
/// (a tab records only when its last prompt was sent). The event hashes do not cover these times
/// (<see cref="CursorEventWriter"/>).
/// </remarks>
internal static class CursorTime
{
    // Times outside these bounds are not real (and the server refuses them): 2000-01-01 to 2100-01-01.
    private const long MinMilliseconds = 946_684_800_000;
    private const long MaxMilliseconds = 4_102_444_800_000;

    /// <summary>A number property in epoch milliseconds, when it is one and a plausible time.</summary>
    public static long? Milliseconds(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
        && number is >= MinMilliseconds and < MaxMilliseconds
            ? (long)number
            : null;

    /// <summary>When <paramref name="path"/> was last written (the time of what records none); now when it is not there.</summary>
    public static DateTimeOffset LastWritten(string path) =>
        File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : DateTimeOffset.UtcNow;

    public static DateTimeOffset At(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(milliseconds, MinMilliseconds, MaxMilliseconds));

    /// <summary>A property that is either an ISO timestamp or epoch milliseconds, when it is a plausible time.</summary>
    public static DateTimeOffset? Of(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (Milliseconds(element, name) is { } milliseconds)
        {
            return At(milliseconds);
        }

        return value.ValueKind == JsonValueKind.String && ProtocolTimestamp.TryParse(value, out var parsed)
            && parsed.ToUnixTimeMilliseconds() is >= MinMilliseconds and < MaxMilliseconds
                ? parsed
                : null;
    }
}
