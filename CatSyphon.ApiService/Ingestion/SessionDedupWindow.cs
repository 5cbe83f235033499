using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using CatSyphon.Protocol;
using RetryLimitExceededException = Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// A session's dedup keys as Redis holds them: a window of its most recent keys (a set to look them up,
/// a list to evict the oldest), so a session costs Redis a bounded number of bytes however long it runs.
/// Beyond the window PostgreSQL's per-conversation event hash index is the truth: storage is exact
/// whatever Redis forgot, and a batch with keys the window cannot vouch for is looked up there so
/// that <c>accepted</c>, <c>duplicates</c> and the session's event count stay right too.
/// </summary>
public sealed class SessionDedupWindow(IServiceScopeFactory scopes, ILogger<SessionDedupWindow> logger)
{
    /// <summary>
    /// How long a batch waits for PostgreSQL before it is accepted without its answer: a PostgreSQL outage
    /// must not stop ingestion (the contract), and the worker's <c>ON CONFLICT DO NOTHING</c> still stores
    /// each event once; only the counters may then count a resend of an old event as accepted.
    /// </summary>
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(2);

    private const int ChunkSize = 4096;

    /// <summary>The length of a set member.</summary>
    public const int MemberBytes = 16;

    /// <summary>16 bytes of SHA-256 of the dedup key: a fixed, small set member whatever the client's hash looks like.</summary>
    public static byte[] Member(string eventHash)
    {
        var member = new byte[MemberBytes];
        WriteMember(eventHash, member);
        return member;
    }

    /// <summary><see cref="Member"/> written into <paramref name="member"/> (<see cref="MemberBytes"/> long).</summary>
    public static void WriteMember(string eventHash, Span<byte> member)
    {
        // A valid event hash has at most MaxEventHashLength characters: its UTF-8 fits on the stack.
        var utf8 = eventHash.Length <= ProtocolLimits.MaxEventHashLength
            ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(ProtocolLimits.MaxEventHashLength)]
            : new byte[Encoding.UTF8.GetMaxByteCount(eventHash.Length)];
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(eventHash, utf8)], digest);
        digest[..MemberBytes].CopyTo(member);
    }

    /// <summary>
    /// Loads the conversation's <paramref name="window"/> most recent stored hashes (by sequence) into the
    /// window, oldest first so they are also the first to leave it.
    /// </summary>
    public static async Task LoadRecentAsync(
        CatSyphonDbContext db, IDatabase redis, RedisKey hashes, RedisKey order, Guid conversationId, int window, CancellationToken cancellationToken)
    {
        var recent = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId)
            .OrderByDescending(m => m.Sequence)
            .Take(window)
            .Select(m => m.EventHash)
            .ToListAsync(cancellationToken);
        recent.Reverse();
        foreach (var chunk in recent.Chunk(ChunkSize))
        {
            var members = chunk.Select(hash => (RedisValue)Member(hash)).ToArray();
            var batch = redis.CreateBatch();
            var added = batch.SetAddAsync(hashes, members);
            var pushed = batch.ListRightPushAsync(order, members);
            batch.Execute();
            await Task.WhenAll(added, pushed);
        }
    }

    /// <summary>
    /// Which of <paramref name="candidates"/> (indexes into <paramref name="events"/>) PostgreSQL already holds, in the
    /// form the accept script takes: one character per event, '1' when stored. One indexed query; when PostgreSQL
    /// does not answer in time every mark is '0' (see <see cref="LookupTimeout"/>).
    /// </summary>
    public async Task<string> StoredMarksAsync(
        Guid conversationId, IReadOnlyList<NormalizedEvent> events, IReadOnlyList<int> candidates, CancellationToken cancellationToken)
    {
        var hashes = candidates.Select(index => events[index].EventHash).Distinct(StringComparer.Ordinal).ToArray();
        var marks = new char[events.Count];
        Array.Fill(marks, '0');
        HashSet<string> stored;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(LookupTimeout);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatSyphonDbContext>();
            stored = (await db.Messages.AsNoTracking()
                    .Where(m => m.ConversationId == conversationId && hashes.Contains(m.EventHash))
                    .Select(m => m.EventHash)
                    .ToListAsync(timeout.Token))
                .ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception exception) when (IsUnavailable(exception) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception,
                "PostgreSQL did not answer the dedup lookup of conversation {ConversationId}; accepting {Count} events the dedup window does not hold.",
                conversationId, candidates.Count);
            return new string(marks);
        }

        foreach (var index in candidates)
        {
            if (stored.Contains(events[index].EventHash))
            {
                marks[index] = '1';
            }
        }

        return new string(marks);
    }

    private static bool IsUnavailable(Exception exception) =>
        exception is DbException or TimeoutException or OperationCanceledException or RetryLimitExceededException
        || exception.InnerException is { } inner && IsUnavailable(inner);
}
