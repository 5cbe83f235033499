using System.Text.Json;

namespace CatSyphon.Protocol.Parsing.Gemini;

/// <summary>
/// A Gemini response's <c>tokens</c> (<c>promptTokenCount</c>, <c>candidatesTokenCount</c>, <c>cachedContentTokenCount</c>,
/// <c>thoughtsTokenCount</c>, <c>toolUsePromptTokenCount</c> of the API's answer). Gemini counts the cached part inside
/// the input and the thoughts and tool-use prompt beside it (<c>total = input + output + thoughts + tool</c>), so a
/// usage record has the uncached input plus the tool-use prompt as input, the cached part as cache reads, and the
/// thoughts inside the output, as they are billed: its <see cref="TokenUsageRecord.Total"/> is Gemini's total.
/// </summary>
internal readonly record struct GeminiTokens(long Input, long Output, long Cached, long Thoughts, long Tool)
{
    /// <summary>
    /// The message's <c>tokens</c>; null when absent, <c>null</c> or all zero, and when a count, or a record's input or
    /// output made of them, is out of the protocol's bounds (warned: the server would refuse the event).
    /// </summary>
    public static GeminiTokens? Read(JsonElement message, Action<string> warn)
    {
        if (!message.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var read = new GeminiTokens(Count(tokens, "input"), Count(tokens, "output"), Count(tokens, "cached"), Count(tokens, "thoughts"), Count(tokens, "tool"));
        if (read.Input < 0 || read.Output < 0 || read.Cached < 0 || read.Thoughts < 0 || read.Tool < 0
            || read.Input + read.Tool > ProtocolLimits.MaxTokenCount || read.Output + read.Thoughts > ProtocolLimits.MaxTokenCount)
        {
            warn($"token counts out of bounds (0 to {ProtocolLimits.MaxTokenCount}) skipped");
            return null;
        }

        return read.Input + read.Output + read.Thoughts + read.Tool == 0 ? null : read;
    }

    public TokenUsageRecord ToRecord(string key, string sessionId, string? model, DateTimeOffset timestamp, bool fromSubAgent)
    {
        var cached = Math.Min(Cached, Input);
        return new TokenUsageRecord(
            key,
            sessionId,
            model,
            timestamp,
            InputTokens: Input - cached + Tool,
            OutputTokens: Output + Thoughts,
            CacheCreationTokens: 0,
            CacheReadTokens: cached,
            FromSubAgent: fromSubAgent);
    }

    /// <summary>A count: 0 when absent or not a number, -1 when negative, fractional or above the protocol's bound.</summary>
    private static long Count(JsonElement tokens, string name)
    {
        if (!tokens.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return 0;
        }

        return value.TryGetInt64(out var count) && count is >= 0 and <= ProtocolLimits.MaxTokenCount ? count : -1;
    }
}
