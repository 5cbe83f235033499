using System.Globalization;

namespace CatSyphon.Worker.Projection;

/// <summary>Reads one field of an event's data as a column takes it; a field that is absent or of another shape reads as null.</summary>
internal static class EventData
{
    public static string? Identifier(JsonElement data, string name) => ColumnText.Bounded(Text(data, name), ColumnLimits.Identifier);

    /// <summary>A string property as is; a number or boolean as its JSON text; an object or array as its JSON text.</summary>
    public static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) ? AsText(value) : null;

    public static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => ColumnText.Clean(value.GetString()),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Object or JsonValueKind.Array => ColumnText.Clean(value.GetRawText()),
        _ => null,
    };

    /// <summary>Any JSON value but null, as JSON text (for jsonb columns).</summary>
    public static string? Json(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.GetRawText()
            : null;

    public static long? Integer(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt64(out var integer):
                return integer;
            case JsonValueKind.Number when value.TryGetDouble(out var real) && double.IsFinite(real) && Math.Abs(real) < 9e18:
                return (long)real;
            case JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                return null;
        }
    }

    public static int? ToInt(long? value) => value is null ? null : (int)Math.Clamp(value.Value, int.MinValue, int.MaxValue);

    public static bool? Boolean(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => null,
        };
    }

    public static DateTimeOffset? Timestamp(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.ToUniversalTime();
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds is > 0 and < 253402300799)
        {
            return DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        }

        return null;
    }
}
