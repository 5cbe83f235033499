using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CatSyphon.Protocol.Internal;

namespace CatSyphon.Protocol;

/// <summary>
/// The server's deduplication hash of an event that carries no <c>event_hash</c>: lowercase hex SHA-256
/// over <c>type "\n" emitted_at "\n" canonical(data)</c>, where <c>emitted_at</c> is UTC with 7 fractional
/// digits and <c>Z</c>, and canonical(data) is <paramref name="data"/> without its null-valued top-level
/// fields, object keys sorted ordinally (UTF-16 code units) at every depth, no whitespace, strings
/// re-encoded one way (see below) and numbers as their literal text. <c>observed_at</c> and
/// <c>sequence</c> are not part of it.
/// </summary>
/// <remarks>
/// Strings are decoded and written with only <c>\" \\ \b \t \n \f \r</c> and <c>\u00xx</c> (other controls)
/// escaped; U+0000, lone surrogates and invalid UTF-8 are taken as U+FFFD, so the hash of raw input equals
/// the hash of its <see cref="ProtocolJsonSanitizer"/> output. Missing data (<see cref="JsonValueKind.Undefined"/>)
/// hashes like JSON <c>null</c>.
/// </remarks>
public static class EventHash
{
    /// <summary>Length of a server hash (64 hex characters).</summary>
    public const int Length = 64;

    public static string Compute(EventType type, DateTimeOffset emittedAt, JsonElement data) =>
        Compute(WireName.Of(type), emittedAt, data);

    public static string Compute(string type, DateTimeOffset emittedAt, JsonElement data)
    {
        ArgumentNullException.ThrowIfNull(type);
        var rawLength = data.ValueKind == JsonValueKind.Undefined ? 4 : JsonMarshal.GetRawUtf8Value(data).Length;
        using var output = new PooledByteWriter(type.Length + rawLength + 64);

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(type.Length));
        output.Advance(Encoding.UTF8.GetBytes(type, span));
        output.Write((byte)'\n');
        output.Advance(ProtocolTimestamp.FormatCanonical(emittedAt, output.GetSpan(64)));
        output.Write((byte)'\n');
        CanonicalJson.Write(data, output, dropNullProperties: true);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(output.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The canonical JSON text of <paramref name="data"/> exactly as hashed (for diagnostics and tests).</summary>
    public static string CanonicalData(JsonElement data)
    {
        using var output = new PooledByteWriter(256);
        CanonicalJson.Write(data, output, dropNullProperties: true);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}

internal static class CanonicalJson
{
    private struct Entry
    {
        public int NameStart;
        public int NameLength;
        public int Order;
        public JsonElement Value;
    }

    private sealed class EntryComparer(char[] names) : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y) => CompareEntries(names, x, y);
    }

    public static void Write(JsonElement element, PooledByteWriter output, bool dropNullProperties)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, output, dropNullProperties);
                break;

            case JsonValueKind.Array:
            {
                output.Write((byte)'[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        output.Write((byte)',');
                    }

                    first = false;
                    Write(item, output, dropNullProperties: false);
                }

                output.Write((byte)']');
                break;
            }

            case JsonValueKind.String:
            {
                var raw = JsonMarshal.GetRawUtf8Value(element);
                var content = raw[1..^1];
                if (content.IndexOf((byte)'\\') < 0 && System.Text.Unicode.Utf8.IsValid(content))
                {
                    // Unescaped valid text holds no quote, backslash or control character: already canonical.
                    output.Write(raw);
                }
                else
                {
                    WriteDecoded(content, output);
                }

                break;
            }

            case JsonValueKind.Number:
                output.Write(JsonMarshal.GetRawUtf8Value(element));
                break;

            case JsonValueKind.True:
                output.Write("true"u8);
                break;

            case JsonValueKind.False:
                output.Write("false"u8);
                break;

            default:
                output.Write("null"u8);
                break;
        }
    }

    private static void WriteDecoded(ReadOnlySpan<byte> content, PooledByteWriter output)
    {
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(content.Length, 16));
        try
        {
            var n = JsonStringCodec.Decode(content, chars, out _);
            JsonStringCodec.Repair(chars.AsSpan(0, n));
            JsonStringCodec.WriteQuoted(chars.AsSpan(0, n), output);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static void WriteObject(JsonElement element, PooledByteWriter output, bool dropNullProperties)
    {
        var count = element.GetPropertyCount();
        if (count == 0)
        {
            output.Write("{}"u8);
            return;
        }

        var nameBytes = 0;
        foreach (var property in element.EnumerateObject())
        {
            nameBytes += JsonMarshal.GetRawUtf8PropertyName(property).Length;
        }

        var entries = ArrayPool<Entry>.Shared.Rent(count);
        var names = ArrayPool<char>.Shared.Rent(Math.Max(nameBytes, 16));
        try
        {
            var n = 0;
            var used = 0;
            foreach (var property in element.EnumerateObject())
            {
                var value = property.Value;
                if (dropNullProperties && value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                var written = JsonStringCodec.Decode(JsonMarshal.GetRawUtf8PropertyName(property), names.AsSpan(used), out _);
                JsonStringCodec.Repair(names.AsSpan(used, written));
                entries[n] = new Entry { NameStart = used, NameLength = written, Order = n, Value = value };
                used += written;
                n++;
            }

            var span = entries.AsSpan(0, n);
            if (n <= 16)
            {
                InsertionSort(span, names);
            }
            else
            {
                span.Sort(new EntryComparer(names));
            }

            output.Write((byte)'{');
            for (var i = 0; i < n; i++)
            {
                if (i > 0)
                {
                    output.Write((byte)',');
                }

                JsonStringCodec.WriteQuoted(names.AsSpan(span[i].NameStart, span[i].NameLength), output);
                output.Write((byte)':');
                Write(span[i].Value, output, dropNullProperties: false);
            }

            output.Write((byte)'}');
        }
        finally
        {
            ArrayPool<Entry>.Shared.Return(entries, clearArray: true);
            ArrayPool<char>.Shared.Return(names);
        }
    }

    private static void InsertionSort(Span<Entry> entries, char[] names)
    {
        for (var i = 1; i < entries.Length; i++)
        {
            var current = entries[i];
            var j = i - 1;
            while (j >= 0 && CompareEntries(names, entries[j], current) > 0)
            {
                entries[j + 1] = entries[j];
                j--;
            }

            entries[j + 1] = current;
        }
    }

    private static int CompareEntries(char[] names, Entry x, Entry y)
    {
        // Ordinal over UTF-16 code units. ReadOnlySpan on purpose: the Span<char> overloads of these
        // searches/comparisons box per call on .NET 10.
        ReadOnlySpan<char> a = names.AsSpan(x.NameStart, x.NameLength);
        ReadOnlySpan<char> b = names.AsSpan(y.NameStart, y.NameLength);
        var byName = a.CompareTo(b, StringComparison.Ordinal);
        return byName != 0 ? byName : x.Order.CompareTo(y.Order);
    }
}
