using System.Security.Cryptography;
using System.Text;

namespace CatSyphon.Worker.Projection;

/// <summary>The usage an event carries: its token columns and how it counts in <c>token_usages</c>.</summary>
internal static class TokenUsageProjector
{
    private const string SyntheticModel = "<synthetic>";

    /// <summary>
    /// Token usage may ride on any event (a response with no text still used tokens: its usage comes on
    /// its thinking or tool call event), so it is read whatever the type.
    /// </summary>
    public static void Project(JsonElement data, EventRow row)
    {
        if (!data.TryGetProperty(EventFields.TokenUsage, out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        long?[] counts =
        [
            Integer(usage, UsageFields.InputTokens),
            Integer(usage, UsageFields.OutputTokens),
            Integer(usage, UsageFields.CacheCreationInputTokens) ?? Integer(usage, UsageFields.CacheCreationTokens),
            Integer(usage, UsageFields.CacheReadInputTokens) ?? Integer(usage, UsageFields.CacheReadTokens),
        ];

        // The API refuses counts outside 0..1e9; one buffered before that (or written by any other path) makes the
        // whole usage unbelievable, so none of it counts, rather than failing its set on token_usages' CHECKs.
        if (Array.Exists(counts, count => count is < 0 or > ColumnLimits.MaxTokenCount))
        {
            return;
        }

        (row.InputTokens, row.OutputTokens, row.CacheCreationTokens, row.CacheReadTokens) = (counts[0], counts[1], counts[2], counts[3]);
        var usageModel = Identifier(data, EventFields.UsageModel);
        row.Model ??= usageModel ?? Identifier(data, EventFields.Model);
        row.ApiMessageId ??= Identifier(data, EventFields.ApiMessageId);
        row.RequestId ??= Text(data, EventFields.RequestId);

        if (row.InputTokens is not null || row.OutputTokens is not null || row.CacheCreationTokens is not null || row.CacheReadTokens is not null)
        {
            // Claude Code writes "<synthetic>" as the model of replies no model produced; they count with no model.
            var countedModel = usageModel ?? row.Model;
            row.Usage = new UsageInfo(
                UsageKey(Text(data, EventFields.UsageKey)),
                countedModel == SyntheticModel ? null : countedModel,
                Boolean(data, EventFields.UsageFromSubAgent) ?? false,
                CacheCreation1h(usage, row.CacheCreationTokens ?? 0),
                usage.TryGetProperty(UsageFields.Speed, out var speed) && speed.ValueKind == JsonValueKind.String && speed.ValueEquals(UsageFields.FastSpeed));
        }
    }

    /// <summary>
    /// The 1-hour part of the cache writes: ours send <c>cache_creation_1h_input_tokens</c>; collectors that forward
    /// Anthropic's usage as it is send <c>cache_creation.ephemeral_1h_input_tokens</c>. Never more than all the writes
    /// (or less than none), so the 5-minute rest is never negative.
    /// </summary>
    private static long CacheCreation1h(JsonElement usage, long cacheCreation)
    {
        var oneHour = Integer(usage, UsageFields.CacheCreation1hInputTokens)
            ?? (usage.TryGetProperty(UsageFields.CacheCreation, out var breakdown) && breakdown.ValueKind == JsonValueKind.Object
                ? Integer(breakdown, UsageFields.Ephemeral1hInputTokens)
                : null);
        return Math.Clamp(oneHour ?? 0, 0, Math.Max(cacheCreation, 0));
    }

    /// <summary>A usage key as sent, or a digest of it when it is longer than the column holds (copies of one response still share it).</summary>
    private static string? UsageKey(string? key) =>
        key is null || key.Length <= ColumnLimits.UsageKey
            ? key
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
