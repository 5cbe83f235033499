using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CatSyphon.Protocol.Internal;

namespace CatSyphon.Protocol.Json;

/// <summary>
/// Reads a JSON string without ever throwing on an escaped lone surrogate (which the built-in string
/// converter rejects): such code units are kept in the .NET string as they are, as is U+0000, so that
/// <see cref="EventBatchValidator"/> can replace them and report a warning. Invalid UTF-8 becomes U+FFFD.
/// Used for <c>session_id</c>, <c>type</c> and <c>event_hash</c>.
/// </summary>
public sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StringReading.Read(ref reader, repair: false);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}

/// <summary>
/// Reads a JSON string with U+0000, lone surrogates and invalid UTF-8 replaced by U+FFFD (silently):
/// the value is always storable. Used for the other strings of requests (hostname, outcome, …).
/// </summary>
public sealed class SanitizingStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StringReading.Read(ref reader, repair: true);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}

internal static class StringReading
{
    public static string? Read(ref Utf8JsonReader reader, bool repair)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string, got {reader.TokenType}.");
        }

        if (!reader.HasValueSequence && !reader.ValueIsEscaped && Utf8.IsValid(reader.ValueSpan))
        {
            return reader.GetString();
        }

        if (!reader.HasValueSequence)
        {
            return JsonStringCodec.DecodeToString(reader.ValueSpan, repair, out _);
        }

        var length = checked((int)reader.ValueSequence.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            reader.ValueSequence.CopyTo(rented);
            return JsonStringCodec.DecodeToString(rented.AsSpan(0, length), repair, out _);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
