using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatSyphon.Protocol.Json;

/// <summary>
/// Writes <see cref="DateTimeOffset"/> as UTC with <c>Z</c> (<see cref="ProtocolTimestamp.Format"/>);
/// reads everything <see cref="ProtocolTimestamp"/> accepts (ISO-8601 text or unix seconds).
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            if (ProtocolTimestamp.TryParse(document.RootElement, out var utc))
            {
                return utc;
            }
        }

        throw new JsonException("Expected a timestamp (ISO-8601 text or unix seconds).");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ProtocolTimestamp.Format(value));
}

/// <summary>The <see cref="UtcTimestampConverter"/> for <see cref="Nullable{DateTimeOffset}"/>.</summary>
public sealed class NullableUtcTimestampConverter : JsonConverter<DateTimeOffset?>
{
    private static readonly UtcTimestampConverter Inner = new();

    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(DateTimeOffset), options);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            Inner.Write(writer, v, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
