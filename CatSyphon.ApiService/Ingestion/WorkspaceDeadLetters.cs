using System.Globalization;
using System.Text.Json;
using CatSyphon.Ingestion;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// One workspace's view of the server-wide dead-letter stream: an entry belongs to the workspace its payload (a
/// buffered batch or a refused batch's job) names. Dead letters are rare, so the stream is read oldest first in
/// pages, up to <see cref="MaxScanned"/> entries per request.
/// </summary>
internal static class WorkspaceDeadLetters
{
    public const int MaxScanned = 10_000;
    private const int PageSize = 200;

    public static async Task<List<DeadLetterView>> ListAsync(IDatabase database, Guid workspaceId, int limit)
    {
        var found = new List<DeadLetterView>();
        await ScanAsync(database, view =>
        {
            if (view.WorkspaceId == workspaceId)
            {
                found.Add(view);
            }

            return found.Count < limit;
        });
        return found;
    }

    public static async Task<long> CountAsync(IDatabase database, Guid workspaceId)
    {
        long count = 0;
        await ScanAsync(database, view =>
        {
            count += view.WorkspaceId == workspaceId ? 1 : 0;
            return true;
        });
        return count;
    }

    /// <summary>The entry with this id when it belongs to the workspace; null when there is none.</summary>
    public static async Task<(StreamEntry Entry, DeadLetterView View)?> FindAsync(IDatabase database, StreamId id, Guid workspaceId)
    {
        var entries = await database.StreamRangeAsync(IngestionRedisKeys.DeadLetters, id.Text, id.Text, count: 1);
        return entries is [var entry] && Describe(entry) is { } view && view.WorkspaceId == workspaceId ? (entry, view) : null;
    }

    private static async Task ScanAsync(IDatabase database, Func<DeadLetterView, bool> visit)
    {
        RedisValue start = "-";
        for (var scanned = 0; scanned < MaxScanned; scanned += PageSize)
        {
            var entries = await database.StreamRangeAsync(IngestionRedisKeys.DeadLetters, start, "+", PageSize);
            foreach (var entry in entries)
            {
                if (!visit(Describe(entry)))
                {
                    return;
                }
            }

            if (entries.Length < PageSize)
            {
                return;
            }

            start = "(" + entries[^1].Id; // exclusive: the next page starts after the last entry read
        }
    }

    private static DeadLetterView Describe(StreamEntry entry)
    {
        var payload = entry[IngestionRedisKeys.PayloadField];
        var (workspaceId, sessionId, events) = ReadPayload(payload.IsNullOrEmpty ? [] : (byte[])payload!);
        return new DeadLetterView(entry.Id.ToString(), entry[IngestionRedisKeys.SourceField].ToString(), entry[IngestionRedisKeys.ErrorField].ToString(),
            workspaceId, sessionId, events);
    }

    private static (Guid? WorkspaceId, string? SessionId, int Events) ReadPayload(byte[] payload)
    {
        try
        {
            var batch = BufferedBatchSerializer.Deserialize(payload);
            return (batch.WorkspaceId, batch.SessionId, batch.Events.Count);
        }
        catch (JsonException)
        {
            // Not a batch: the jobs lane dead-letters refused batches' jobs.
        }

        try
        {
            var job = BufferedBatchSerializer.DeserializeJob(payload);
            return (job.WorkspaceId, job.SessionId, 0);
        }
        catch (JsonException)
        {
            // A payload that is neither is exactly the kind of thing that ends up here; it names no workspace.
            return (null, null, 0);
        }
    }
}

/// <summary>A Redis stream id (<c>milliseconds-sequence</c>, each an unsigned 64-bit number): anything else would be a Redis error.</summary>
internal readonly record struct StreamId(string Text)
{
    public static bool TryParse(string text, out StreamId id)
    {
        var parts = text.Split('-');
        id = new StreamId(text);
        return parts.Length == 2
            && ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
