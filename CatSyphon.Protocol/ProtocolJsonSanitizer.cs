using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CatSyphon.Protocol.Internal;

namespace CatSyphon.Protocol;

/// <summary>
/// Produces storable JSON text from a <see cref="JsonElement"/>: every string (object keys and values,
/// at any depth) that holds an escaped U+0000, a lone surrogate (escaped, e.g. <c>"\ud800"</c>) or
/// invalid UTF-8 is rewritten with U+FFFD in their place; everything else is kept byte for byte as the
/// client sent it. Works on the raw UTF-8, so it never throws on such input (unlike <c>GetString()</c>).
/// </summary>
public static class ProtocolJsonSanitizer
{
    /// <summary>
    /// Returns the sanitized JSON text of <paramref name="element"/>. For each value path where something
    /// was replaced, adds one warning <c>"{path}: replaced N invalid characters"</c> to
    /// <paramref name="warnings"/> (a key and its string value share one path and one warning).
    /// </summary>
    /// <param name="element">Any JSON value; <see cref="JsonValueKind.Undefined"/> is rejected.</param>
    /// <param name="path">The path of <paramref name="element"/> itself, e.g. <c>events[3].data</c>.</param>
    /// <param name="warnings">Receives warnings; may be null.</param>
    /// <returns>The sanitized JSON text and the total number of replaced characters.</returns>
    public static string Sanitize(JsonElement element, string path, ICollection<string>? warnings, out int replaced)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The element has no value.", nameof(element));
        }

        return Sanitize(JsonMarshal.GetRawUtf8Value(element), path, warnings, out replaced);
    }

    /// <inheritdoc cref="Sanitize(JsonElement, string, ICollection{string}?, out int)"/>
    public static string Sanitize(JsonElement element, string path, ICollection<string>? warnings) =>
        Sanitize(element, path, warnings, out _);

    private struct Frame
    {
        public bool IsArray;
        public int Index;
        public int NameStart;
        public int NameLength;
    }

    private static string Sanitize(ReadOnlySpan<byte> raw, string path, ICollection<string>? warnings, out int replaced)
    {
        replaced = 0;
        PooledByteWriter? output = null;
        var copied = 0;
        var frames = ArrayPool<Frame>.Shared.Rent(16);
        var depth = 0;
        var pending = 0;
        char[]? chars = null;
        try
        {
            var reader = new Utf8JsonReader(raw, new JsonReaderOptions { MaxDepth = 4096 });
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        NextValue(frames, depth);
                        Flush(ref pending, raw, frames, depth, path, warnings);
                        if (depth == frames.Length)
                        {
                            var bigger = ArrayPool<Frame>.Shared.Rent(depth * 2);
                            frames.AsSpan(0, depth).CopyTo(bigger);
                            ArrayPool<Frame>.Shared.Return(frames);
                            frames = bigger;
                        }

                        frames[depth++] = new Frame { IsArray = reader.TokenType == JsonTokenType.StartArray, Index = -1 };
                        break;

                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        depth--;
                        break;

                    case JsonTokenType.PropertyName:
                    {
                        var start = (int)reader.TokenStartIndex + 1;
                        frames[depth - 1].NameStart = start;
                        frames[depth - 1].NameLength = reader.ValueSpan.Length;
                        pending = RepairToken(raw, start, reader.ValueSpan.Length, ref output, ref copied, ref chars);
                        replaced += pending;
                        break;
                    }

                    case JsonTokenType.String:
                    {
                        NextValue(frames, depth);
                        var start = (int)reader.TokenStartIndex + 1;
                        var count = RepairToken(raw, start, reader.ValueSpan.Length, ref output, ref copied, ref chars);
                        replaced += count;
                        pending += count;
                        Flush(ref pending, raw, frames, depth, path, warnings);
                        break;
                    }

                    default:
                        NextValue(frames, depth);
                        Flush(ref pending, raw, frames, depth, path, warnings);
                        break;
                }
            }

            if (output is null)
            {
                return Encoding.UTF8.GetString(raw);
            }

            output.Write(raw[copied..]);
            return Encoding.UTF8.GetString(output.WrittenSpan);
        }
        finally
        {
            output?.Dispose();
            ArrayPool<Frame>.Shared.Return(frames);
            if (chars is not null)
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }

    private static void NextValue(Frame[] frames, int depth)
    {
        if (depth > 0 && frames[depth - 1].IsArray)
        {
            frames[depth - 1].Index++;
        }
    }

    /// <summary>Rewrites one string token (contents at [start, start+length)) if it needs it; returns the replacements.</summary>
    private static int RepairToken(ReadOnlySpan<byte> raw, int start, int length, ref PooledByteWriter? output, ref int copied, ref char[]? chars)
    {
        var content = raw.Slice(start, length);
        if (!JsonStringCodec.MayNeedRepair(content))
        {
            return 0;
        }

        if (chars is null || chars.Length < length)
        {
            if (chars is not null)
            {
                ArrayPool<char>.Shared.Return(chars);
            }

            chars = ArrayPool<char>.Shared.Rent(Math.Max(length, 256));
        }

        var n = JsonStringCodec.Decode(content, chars, out var invalid);
        var count = invalid + JsonStringCodec.Repair(chars.AsSpan(0, n));
        if (count == 0)
        {
            return 0;
        }

        output ??= new PooledByteWriter(raw.Length + 64);
        output.Write(raw[copied..(start - 1)]);
        JsonStringCodec.WriteQuoted(chars.AsSpan(0, n), output);
        copied = start + length + 1;
        return count;
    }

    private static void Flush(ref int pending, ReadOnlySpan<byte> raw, Frame[] frames, int depth, string path, ICollection<string>? warnings)
    {
        if (pending == 0)
        {
            return;
        }

        warnings?.Add(ProtocolText.ReplacementWarning(BuildPath(raw, frames, depth, path), pending));
        pending = 0;
    }

    private static string BuildPath(ReadOnlySpan<byte> raw, Frame[] frames, int depth, string path)
    {
        var sb = new StringBuilder(path);
        for (var i = 0; i < depth; i++)
        {
            var frame = frames[i];
            if (frame.IsArray)
            {
                sb.Append('[').Append(frame.Index).Append(']');
            }
            else
            {
                AppendName(sb, JsonStringCodec.DecodeToString(raw.Slice(frame.NameStart, frame.NameLength), repair: true, out _));
            }
        }

        return sb.ToString();
    }

    /// <summary>Appends <c>.name</c> for plain names, else <c>["name"]</c>.</summary>
    internal static void AppendName(StringBuilder sb, string name)
    {
        if (name.Length > 0 && name.AsSpan().IndexOfAnyExcept(PlainNameChars) < 0)
        {
            sb.Append('.').Append(name);
            return;
        }

        sb.Append("[\"").Append(name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"]");
    }

    private static readonly SearchValues<char> PlainNameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
}
