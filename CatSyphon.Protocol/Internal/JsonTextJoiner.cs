using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CatSyphon.Protocol.Internal;

/// <summary>
/// Joins text parts (JSON string values, or literal text) into one JSON string value, separated by a blank
/// line, at the UTF-8 level: a value that needs no repair is copied as its escaped text, never decoded
/// and encoded again. Values holding NUL or lone surrogates are decoded, repaired (U+FFFD) and re-escaped.
/// </summary>
internal sealed class JsonTextJoiner
{
    // The value being built, opening quote included; the closing quote is added when it is written.
    private byte[] _text = new byte[1024];
    private int _length;

    public JsonTextJoiner() => Clear();

    /// <summary>Bytes the buffer holds before it has to grow.</summary>
    public int Capacity => _text.Length;

    /// <summary>Whether any non-empty text has been added.</summary>
    public bool HasText => _length > 1;

    public void Clear()
    {
        _text[0] = (byte)'"';
        _length = 1;
    }

    /// <summary>Adds a JSON string value (ignored when it is not a string or is empty).</summary>
    public void Append(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        var content = raw.Length >= 2 ? raw[1..^1] : raw;
        if (content.IsEmpty)
        {
            return;
        }

        if (JsonStringCodec.MayNeedRepair(content))
        {
            Append(JsonStringCodec.DecodeToString(content, repair: true, out _));
            return;
        }

        Separate();
        Write(content);
    }

    /// <summary>Adds literal text (ignored when empty).</summary>
    public void Append(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        Separate();
        Write(JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes);
    }

    /// <summary>Writes the joined text as the string property <paramref name="name"/>.</summary>
    public void WriteTo(Utf8JsonWriter writer, string name)
    {
        Reserve(1);
        _text[_length] = (byte)'"';
        writer.WritePropertyName(name);
        writer.WriteRawValue(_text.AsSpan(0, _length + 1), skipInputValidation: true);
    }

    private void Separate()
    {
        if (HasText)
        {
            Write("\\n\\n"u8);
        }
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_text.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Reserve(int count)
    {
        if (_length + count >= _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _length + count + 1));
        }
    }
}
