using System.Globalization;
using System.Text.Json;
using Google.Protobuf;

namespace CatSyphon.Telemetry.Otlp;

/// <summary>
/// The JSON values of OTLP/JSON as <see cref="OtlpJsonReader"/> reads them: a missing field or JSON null is absent, 64-bit
/// integers come as decimal strings or numbers, ids as hex; any other type is a malformed body.
/// </summary>
internal static class OtlpJsonValues
{
    /// <summary>A field's value, or null when absent or JSON null.</summary>
    internal static JsonElement? Field(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    internal static JsonElement.ArrayEnumerator Array(JsonElement parent, string name) =>
        Field(parent, name) is { } array ? Expect(array, JsonValueKind.Array, name).EnumerateArray() : default;

    internal static string String(JsonElement parent, string name) =>
        Field(parent, name) is { } value ? Expect(value, JsonValueKind.String, name).GetString()! : "";

    internal static bool Bool(JsonElement parent, string name) => Field(parent, name) is { } value && Bool(value);

    internal static bool Bool(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Malformed("a boolean"),
    };

    internal static ulong UInt64(JsonElement parent, string name) => Field(parent, name) is { } value ? UInt64(value) : 0;

    internal static ulong UInt64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetUInt64(out var number) => number,
        JsonValueKind.String when ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        _ => throw Malformed("an unsigned 64-bit integer (a decimal string or a number)"),
    };

    internal static long Int64(JsonElement parent, string name) => Field(parent, name) is { } value ? Int64(value) : 0;

    internal static long Int64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var number) => number,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
        _ => throw Malformed("a 64-bit integer (a decimal string or a number)"),
    };

    /// <summary>A double: a number, or a string (protobuf JSON writes <c>"NaN"</c>, <c>"Infinity"</c> and may quote numbers).</summary>
    internal static double Double(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        _ => throw Malformed("a number"),
    };

    internal static ByteString Base64(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes) ? ByteString.CopyFrom(bytes) : throw Malformed("base64 bytes");

    /// <summary>
    /// A trace or span id: hex in OTLP/JSON. The server does not use them, so an id in another form is ignored rather than
    /// failing the request.
    /// </summary>
    internal static ByteString Hex(JsonElement parent, string name)
    {
        if (Field(parent, name) is not { ValueKind: JsonValueKind.String } value || value.GetString() is not { Length: > 0 and <= 64 } hex)
        {
            return ByteString.Empty;
        }

        try
        {
            return ByteString.CopyFrom(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            return ByteString.Empty;
        }
    }

    internal static JsonElement Expect(JsonElement value, JsonValueKind kind, string what) =>
        value.ValueKind == kind ? value : throw Malformed($"{what} as JSON {kind.ToString().ToLowerInvariant()}");

    internal static OtlpFormatException Malformed(string expected) => new($"The body is not OTLP/JSON: expected {expected}.");
}
