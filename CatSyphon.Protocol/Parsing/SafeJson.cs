using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using CatSyphon.Protocol.Internal;

namespace CatSyphon.Protocol.Parsing;

/// <summary>
/// Reading values out of a hostile log line and writing them into event data, the same way for every parser: strings come
/// out with NUL and lone surrogates replaced by U+FFFD, so the server never has to repair what a parser wrote.
/// </summary>
internal static class SafeJson
{
    public static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>A string property, decoded with NUL and lone surrogates replaced by U+FFFD; null when absent or not a string.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? SafeString(value) : null;

    public static string? SafeString(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
            ? JsonStringCodec.DecodeToString(JsonMarshal.GetRawUtf8Value(value)[1..^1], repair: true, out _)
            : null;

    /// <summary>Joins the <paramref name="field"/> strings of the objects in array <paramref name="arrayName"/>.</summary>
    public static string? JoinTexts(JsonElement element, string arrayName, string field, string separator)
    {
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(arrayName, out var array)
            ? JoinTexts(array, field, separator)
            : null;
    }

    /// <summary>Joins the strings of <paramref name="array"/> and the <paramref name="field"/> strings of its objects; null when it is not an array or holds none.</summary>
    public static string? JoinTexts(JsonElement array, string field, string separator)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        StringBuilder? builder = null;
        foreach (var item in array.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? SafeString(item) : Text(item, field);
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            builder ??= new StringBuilder();
            if (builder.Length > 0)
            {
                builder.Append(separator);
            }

            builder.Append(text);
        }

        return builder?.ToString();
    }

    /// <summary>Copies <paramref name="element"/> with every string and property name repaired (no lone surrogates or NUL).</summary>
    public static void WriteSafe(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    var name = JsonStringCodec.DecodeToString(JsonMarshal.GetRawUtf8PropertyName(property), repair: true, out _);
                    writer.WritePropertyName(name);
                    WriteSafe(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteSafe(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(SafeString(element));
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
