using System.Runtime.InteropServices;
using System.Text.Json;

namespace CatSyphon.Protocol.Parsing.Claude;

/// <summary>
/// String values that recur line after line in one log (line and block types, the session id, the model), decoded
/// once per parse instead of once per line: a value whose raw JSON bytes equal a kept one's decodes to the same
/// string, so the kept string is returned.
/// </summary>
internal sealed class RepeatedStrings
{
    private const int Slots = 16;
    private const int MaxRawBytes = 128;

    private readonly byte[][] _raw = new byte[Slots][];
    private readonly string[] _text = new string[Slots];
    private int _count;
    private int _next;

    /// <summary>As <see cref="ClaudeCodeLogParser.Str"/>: the string property, or null when absent or not a string.</summary>
    public string? Str(JsonElement obj, ReadOnlySpan<byte> property)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length > MaxRawBytes)
        {
            return ClaudeCodeLogParser.SafeString(value);
        }

        for (var i = 0; i < _count; i++)
        {
            if (raw.SequenceEqual(_raw[i]))
            {
                return _text[i];
            }
        }

        var text = ClaudeCodeLogParser.SafeString(value);
        _raw[_next] = raw.ToArray();
        _text[_next] = text;
        _next = (_next + 1) % Slots;
        _count = Math.Min(_count + 1, Slots);
        return text;
    }
}
