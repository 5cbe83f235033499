using System.Text.Json;

namespace CatSyphon.Protocol.Parsing;

/// <summary>Writing the vocabulary into an event's data, the same way for every parser.</summary>
internal static class EventDataWriter
{
    /// <summary>A message event's <c>author_role</c> and <c>message_type</c>, as their wire names.</summary>
    public static void WriteMessageKind(this Utf8JsonWriter writer, AuthorRole role, MessageType messageType)
    {
        writer.WriteString(EventFields.AuthorRole, WireName.Of(role));
        writer.WriteString(EventFields.MessageType, WireName.Of(messageType));
    }
}
