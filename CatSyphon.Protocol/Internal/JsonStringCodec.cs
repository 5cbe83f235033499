using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace CatSyphon.Protocol.Internal;

/// <summary>
/// Decoding and encoding of JSON string contents (the bytes between the quotes) at the UTF-8 / escape
/// level. Unlike <c>Utf8JsonReader.GetString()</c> this never throws: an escaped lone surrogate
/// (<c>"\ud800"</c>) is decoded as that lone UTF-16 code unit, and invalid UTF-8 becomes U+FFFD (counted).
/// </summary>
internal static class JsonStringCodec
{
    public const char Replacement = '\uFFFD';

    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    /// <summary>
    /// True when <paramref name="content"/> may hold something that must be replaced: invalid UTF-8,
    /// an escaped U+0000, or an escaped surrogate that is not part of an escaped pair. False is exact
    /// (nothing to replace); true may rarely be a false alarm, which <see cref="Decode"/> settles.
    /// </summary>
    public static bool MayNeedRepair(ReadOnlySpan<byte> content)
    {
        // Escapes are ASCII, so validity of the whole span equals validity of its literal runs.
        if (!Utf8.IsValid(content))
        {
            return true;
        }

        var i = 0;
        while (true)
        {
            var k = content[i..].IndexOf((byte)'\\');
            if (k < 0)
            {
                return false;
            }

            i += k;
            if (i + 1 >= content.Length)
            {
                return true;
            }

            if (content[i + 1] != (byte)'u')
            {
                i += 2;
                continue;
            }

            if (!TryHex4(content, i + 2, out var cp) || cp == 0 || char.IsLowSurrogate((char)cp))
            {
                return true;
            }

            if (char.IsHighSurrogate((char)cp))
            {
                if (i + 12 <= content.Length && content[i + 6] == (byte)'\\' && content[i + 7] == (byte)'u'
                    && TryHex4(content, i + 8, out var low) && char.IsLowSurrogate((char)low))
                {
                    i += 12;
                    continue;
                }

                return true;
            }

            i += 6;
        }
    }

    /// <summary>
    /// Decodes JSON string contents to UTF-16, keeping escaped lone surrogates and U+0000 as they are
    /// (see <see cref="Repair"/>). Invalid UTF-8 sequences and malformed escapes become U+FFFD and are
    /// counted in <paramref name="invalid"/>. <paramref name="destination"/> needs
    /// <c>content.Length</c> chars at most.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> content, Span<char> destination, out int invalid)
    {
        invalid = 0;
        var written = 0;
        var i = 0;
        while (i < content.Length)
        {
            var k = content[i..].IndexOf((byte)'\\');
            var end = k < 0 ? content.Length : i + k;
            written += DecodeUtf8(content[i..end], destination[written..], ref invalid);
            if (k < 0)
            {
                break;
            }

            i = end;
            if (i + 1 >= content.Length)
            {
                destination[written++] = Replacement;
                invalid++;
                break;
            }

            var escaped = content[i + 1];
            char c;
            var length = 2;
            switch (escaped)
            {
                case (byte)'"': c = '"'; break;
                case (byte)'\\': c = '\\'; break;
                case (byte)'/': c = '/'; break;
                case (byte)'b': c = '\b'; break;
                case (byte)'f': c = '\f'; break;
                case (byte)'n': c = '\n'; break;
                case (byte)'r': c = '\r'; break;
                case (byte)'t': c = '\t'; break;
                case (byte)'u' when TryHex4(content, i + 2, out var cp):
                    c = (char)cp;
                    length = 6;
                    break;
                default:
                    c = Replacement;
                    invalid++;
                    break;
            }

            destination[written++] = c;
            i += length;
        }

        return written;
    }

    private static int DecodeUtf8(ReadOnlySpan<byte> utf8, Span<char> destination, ref int invalid)
    {
        if (utf8.IsEmpty)
        {
            return 0;
        }

        if (Utf8.ToUtf16(utf8, destination, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
        {
            return written;
        }

        written = 0;
        while (!utf8.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(utf8, out var rune, out var consumed) == OperationStatus.Done)
            {
                written += rune.EncodeToUtf16(destination[written..]);
            }
            else
            {
                destination[written++] = Replacement;
                invalid++;
            }

            utf8 = utf8[consumed..];
        }

        return written;
    }

    /// <summary>Replaces U+0000 and lone surrogates by U+FFFD in place; returns how many were replaced.</summary>
    public static int Repair(Span<char> chars)
    {
        var surrogate = IndexOfSurrogate(chars);
        var nul = ((ReadOnlySpan<char>)chars).IndexOf('\0');
        if (surrogate < 0 && nul < 0)
        {
            return 0;
        }

        var start = surrogate < 0 ? nul : nul < 0 ? surrogate : Math.Min(surrogate, nul);
        var replaced = 0;
        for (var i = start; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                chars[i] = Replacement;
                replaced++;
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                {
                    i++;
                }
                else
                {
                    chars[i] = Replacement;
                    replaced++;
                }
            }
        }

        return replaced;
    }

    /// <summary>
    /// Index of the first surrogate code unit, or -1. Searches as <see cref="ushort"/>: on .NET 10,
    /// <c>IndexOfAnyInRange</c> over <see cref="char"/> allocates (boxes) for spans shorter than a vector.
    /// </summary>
    private static int IndexOfSurrogate(ReadOnlySpan<char> chars) =>
        MemoryMarshal.Cast<char, ushort>(chars).IndexOfAnyInRange((ushort)0xD800, (ushort)0xDFFF);

    /// <summary>Replaces U+0000 and lone surrogates in a .NET string; returns the same instance when clean.</summary>
    public static string Repair(string text, out int replaced)
    {
        if (IndexOfSurrogate(text) < 0 && !text.Contains('\0'))
        {
            replaced = 0;
            return text;
        }

        var chars = text.ToCharArray();
        replaced = Repair(chars);
        return replaced == 0 ? text : new string(chars);
    }

    /// <summary>Decodes JSON string contents to a string; with <paramref name="repair"/> also replaces NUL and lone surrogates.</summary>
    public static string DecodeToString(ReadOnlySpan<byte> content, bool repair, out int replaced)
    {
        if (content.IndexOf((byte)'\\') < 0 && Utf8.IsValid(content))
        {
            replaced = 0;
            return Encoding.UTF8.GetString(content);
        }

        char[]? rented = null;
        Span<char> buffer = content.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(content.Length));
        try
        {
            var n = Decode(content, buffer, out replaced);
            if (repair)
            {
                replaced += Repair(buffer[..n]);
            }

            return new string(buffer[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="chars"/> (valid UTF-16) as a JSON string with quotes, in the one canonical
    /// escaping: <c>\"</c>, <c>\\</c>, <c>\b \t \n \f \r</c>, other controls as lowercase <c>\u00xx</c>,
    /// everything else as raw UTF-8.
    /// </summary>
    public static void WriteQuoted(ReadOnlySpan<char> chars, PooledByteWriter output)
    {
        output.Write((byte)'"');
        while (!chars.IsEmpty)
        {
            var k = chars.IndexOfAny(NeedsEscape);
            var run = k < 0 ? chars : chars[..k];
            if (!run.IsEmpty)
            {
                var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(run.Length));
                output.Advance(Encoding.UTF8.GetBytes(run, span));
            }

            if (k < 0)
            {
                break;
            }

            WriteEscape(chars[k], output);
            chars = chars[(k + 1)..];
        }

        output.Write((byte)'"');
    }

    private static void WriteEscape(char c, PooledByteWriter output)
    {
        switch (c)
        {
            case '"': output.Write("\\\""u8); break;
            case '\\': output.Write("\\\\"u8); break;
            case '\b': output.Write("\\b"u8); break;
            case '\t': output.Write("\\t"u8); break;
            case '\n': output.Write("\\n"u8); break;
            case '\f': output.Write("\\f"u8); break;
            case '\r': output.Write("\\r"u8); break;
            default:
                var span = output.GetSpan(6);
                "\\u00"u8.CopyTo(span);
                span[4] = HexDigit(c >> 4);
                span[5] = HexDigit(c & 0xF);
                output.Advance(6);
                break;
        }
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);

    private static bool TryHex4(ReadOnlySpan<byte> s, int start, out int value)
    {
        value = 0;
        if (start + 4 > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + 4; i++)
        {
            var b = s[i];
            int digit;
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                digit = b - '0';
            }
            else if (b is >= (byte)'a' and <= (byte)'f')
            {
                digit = b - 'a' + 10;
            }
            else if (b is >= (byte)'A' and <= (byte)'F')
            {
                digit = b - 'A' + 10;
            }
            else
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }
}
