using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace CatSyphon.Protocol;

/// <summary>
/// The protocol's value limits on one event (docs/collector-protocol.md, "Value limits (v2.1)"): token counts,
/// timestamps, short texts and paths. One pass over the data's properties, no allocation unless a value breaks a
/// limit; every copy of a duplicated property is checked, since which one a reader takes is not defined.
/// </summary>
internal static class EventValueLimits
{
    private static readonly byte[][] TokenFields = Utf8(ProtocolLimits.TokenUsageFields);
    private static readonly byte[][] ShortTextFields = Utf8(ProtocolLimits.ShortTextFields);
    private static readonly byte[][] PathFields = Utf8(ProtocolLimits.PathFields);

    /// <summary>The members of a file or plan object the server reads as its path.</summary>
    private static readonly byte[][] FilePathMembers = Utf8([FileFields.Path, FileFields.FilePath, FileFields.File, PlanFields.PlanFilePath]);

    // The data members with limits of their own, as the UTF-8 names compared against without decoding.
    private static readonly byte[] TokenUsage = Encoding.UTF8.GetBytes(EventFields.TokenUsage);
    private static readonly byte[] Developer = Encoding.UTF8.GetBytes(EventFields.Developer);
    private static readonly byte[] FilesTouched = Encoding.UTF8.GetBytes(EventFields.FilesTouched);
    private static readonly byte[] Plans = Encoding.UTF8.GetBytes(EventFields.Plans);
    private static readonly byte[] FileChange = Encoding.UTF8.GetBytes(EventFields.FileChange);
    private static readonly byte[] Plan = Encoding.UTF8.GetBytes(EventFields.Plan);

    private static readonly string TokenRule =
        $"must be an integer from 0 to {ProtocolLimits.MaxTokenCount.ToString("N0", CultureInfo.InvariantCulture)}";

    /// <summary>Adds an error under <paramref name="prefix"/><c>.field</c> when <paramref name="value"/> is outside the protocol's time window.</summary>
    public static void CheckTimestamp(DateTimeOffset value, DateTimeOffset now, string prefix, string field, Dictionary<string, List<string>> errors)
    {
        var latest = now + ProtocolLimits.MaxTimestampLead;
        if (value < ProtocolLimits.MinTimestamp || value > latest)
        {
            EventBatchValidator.Add(errors, $"{prefix}.{field}",
                $"must be from {ProtocolTimestamp.FormatCanonical(ProtocolLimits.MinTimestamp)} to 24 hours after the server's clock ({ProtocolTimestamp.FormatCanonical(latest)})");
        }
    }

    /// <summary>Adds an error per value of the data object that breaks a limit, keyed <paramref name="prefix"/><c>.data.…</c>.</summary>
    public static void CheckData(JsonElement data, string prefix, Dictionary<string, List<string>> errors)
    {
        foreach (var property in data.EnumerateObject())
        {
            var value = property.Value;
            var name = Name(property);
            if (name.SequenceEqual(TokenUsage))
            {
                CheckTokenUsage(value, prefix, errors);
            }
            else if (name.SequenceEqual(Developer) && value.ValueKind == JsonValueKind.Object)
            {
                // A developer object ({username, display_name, email...}): each of its texts is short.
                foreach (var member in value.EnumerateObject())
                {
                    if (Overlength(member.Value, ProtocolLimits.MaxShortTextLength) is > 0 and var length)
                    {
                        AddTooLong(errors, $"{prefix}.data.{EventFields.Developer}.{SafeName(member)}", ProtocolLimits.MaxShortTextLength, length);
                    }
                }
            }
            else if (name.SequenceEqual(FilesTouched) || name.SequenceEqual(Plans))
            {
                CheckPathList(value, name.SequenceEqual(Plans), prefix, errors);
            }
            else if (name.SequenceEqual(FileChange) || name.SequenceEqual(Plan))
            {
                CheckPathObject(value, prefix, name.SequenceEqual(Plan) ? EventFields.Plan : EventFields.FileChange, -1, errors);
            }
            else if (TextLimit(name) is > 0 and var max && Overlength(value, max) is > 0 and var length)
            {
                AddTooLong(errors, $"{prefix}.data.{SafeName(property)}", max, length);
            }
        }
    }

    private static void CheckTokenUsage(JsonElement usage, string prefix, Dictionary<string, List<string>> errors)
    {
        if (usage.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (usage.ValueKind != JsonValueKind.Object)
        {
            EventBatchValidator.Add(errors, $"{prefix}.data.token_usage", "must be an object of token counts");
            return;
        }

        foreach (var field in usage.EnumerateObject())
        {
            if (IsOneOf(Name(field), TokenFields) && !IsTokenCount(field.Value))
            {
                EventBatchValidator.Add(errors, $"{prefix}.data.token_usage.{SafeName(field)}", TokenRule);
            }
        }
    }

    /// <summary>Null (absent), or an integer 0..<see cref="ProtocolLimits.MaxTokenCount"/>; JSON's <c>5.0</c> and <c>1e3</c> are integers too.</summary>
    private static bool IsTokenCount(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (value.TryGetInt64(out var integer))
        {
            return integer is >= 0 and <= ProtocolLimits.MaxTokenCount;
        }

        return value.TryGetDouble(out var real) && real is >= 0 and <= ProtocolLimits.MaxTokenCount && Math.Floor(real) == real;
    }

    private static void CheckPathList(JsonElement list, bool plans, string prefix, Dictionary<string, List<string>> errors)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        var name = plans ? EventFields.Plans : EventFields.FilesTouched;
        foreach (var item in list.EnumerateArray())
        {
            var at = index++;
            if (item.ValueKind == JsonValueKind.Object)
            {
                CheckPathObject(item, prefix, name, at, errors);
            }
            else if (!plans)
            {
                // A plain string in files_touched is a path; in plans it is the plan's content.
                if (Overlength(item, ProtocolLimits.MaxPathLength) is > 0 and var length)
                {
                    AddTooLong(errors, $"{prefix}.data.{name}[{at}]", ProtocolLimits.MaxPathLength, length);
                }
            }
        }
    }

    /// <summary>A file or plan object's path members; <paramref name="index"/> is its place in a list, or -1.</summary>
    private static void CheckPathObject(JsonElement file, string prefix, string field, int index, Dictionary<string, List<string>> errors)
    {
        if (file.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var member in file.EnumerateObject())
        {
            if (IsOneOf(Name(member), FilePathMembers) && Overlength(member.Value, ProtocolLimits.MaxPathLength) is > 0 and var length)
            {
                var path = index < 0 ? field : $"{field}[{index}]";
                AddTooLong(errors, $"{prefix}.data.{path}.{SafeName(member)}", ProtocolLimits.MaxPathLength, length);
            }
        }
    }

    /// <summary>The cap of a short-text or path field of the data; 0 for other fields.</summary>
    private static int TextLimit(ReadOnlySpan<byte> name) =>
        IsOneOf(name, ShortTextFields) ? ProtocolLimits.MaxShortTextLength
        : IsOneOf(name, PathFields) ? ProtocolLimits.MaxPathLength
        : 0;

    /// <summary>
    /// The length of a text longer than <paramref name="max"/>, else 0. A text is as long as the server reads it:
    /// a string's characters, any other value's JSON text. The raw UTF-8 length bounds the characters from above,
    /// so only values that may be too long are decoded.
    /// </summary>
    private static int Overlength(JsonElement value, int max)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (value.ValueKind != JsonValueKind.String)
        {
            return raw.Length > max && Encoding.UTF8.GetCharCount(raw) is var count && count > max ? count : 0;
        }

        var content = raw[1..^1];
        if (content.Length <= max)
        {
            return 0;
        }

        var length = content.IndexOf((byte)'\\') < 0
            ? Encoding.UTF8.GetCharCount(content)
            : Internal.JsonStringCodec.DecodeToString(content, repair: true, out _).Length;
        return length > max ? length : 0;
    }

    private static void AddTooLong(Dictionary<string, List<string>> errors, string key, int max, int length) =>
        EventBatchValidator.Add(errors, key, $"must be at most {max} characters; got {length}");

    /// <summary>
    /// A property's name as UTF-8, unescaped as every reader of the data sees it. JsonProperty.NameEquals would
    /// throw on an escaped lone surrogate; such names are decoded here as the sanitizer stores them (U+FFFD), and
    /// only escaped names cost an allocation.
    /// </summary>
    private static ReadOnlySpan<byte> Name(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return raw.IndexOf((byte)'\\') < 0 ? raw : Encoding.UTF8.GetBytes(SafeName(property));
    }

    private static bool IsOneOf(ReadOnlySpan<byte> property, byte[][] names)
    {
        foreach (var name in names)
        {
            if (property.SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A property name for an error key: any name, lone surrogates included, reads without throwing.</summary>
    private static string SafeName(JsonProperty property) =>
        Internal.JsonStringCodec.DecodeToString(JsonMarshal.GetRawUtf8PropertyName(property), repair: true, out _);

    private static byte[][] Utf8(IReadOnlyList<string> names) => [.. names.Select(Encoding.UTF8.GetBytes)];
}
