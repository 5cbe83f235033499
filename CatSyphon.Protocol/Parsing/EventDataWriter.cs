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

    /// <summary>
    /// A usage record as the server's accounting reads it: <c>token_usage</c> with its counts (and the reasoning part of
    /// the output), the ledger's <c>usage_key</c>, and <c>usage_from_sub_agent</c> when it is a sub-agent's.
    /// </summary>
    public static void WriteTokenUsage(this Utf8JsonWriter writer, TokenUsageRecord record, long reasoningOutputTokens)
    {
        writer.WriteStartObject(EventFields.TokenUsage);
        writer.WriteNumber(UsageFields.InputTokens, record.InputTokens);
        writer.WriteNumber(UsageFields.OutputTokens, record.OutputTokens);
        writer.WriteNumber(UsageFields.CacheCreationInputTokens, record.CacheCreationTokens);
        writer.WriteNumber(UsageFields.CacheReadInputTokens, record.CacheReadTokens);
        writer.WriteNumber(UsageFields.ReasoningOutputTokens, reasoningOutputTokens);
        writer.WriteEndObject();
        writer.WriteString(EventFields.UsageKey, record.DedupKey);
        if (record.FromSubAgent)
        {
            writer.WriteBoolean(EventFields.UsageFromSubAgent, true);
        }
    }
}
