using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace CatSyphon.Protocol.Parsing;

/// <summary>
/// Accumulates <see cref="TokenUsageRecord"/>s with ccusage's deduplication rules and produces
/// <see cref="ScanTotals"/>:
/// <list type="bullet">
/// <item>records with the same non-empty <see cref="TokenUsageRecord.DedupKey"/> are one API response;</item>
/// <item>of two copies, a main-session copy (<see cref="TokenUsageRecord.FromSubAgent"/> false) beats a
/// sub-agent copy; otherwise the copy with the strictly larger total wins (the first one stays on ties);</item>
/// <item>records with an empty key are never deduplicated;</item>
/// <item>days are UTC.</item>
/// </list>
/// Memory is one small fixed-size entry per distinct keyed response: the key is kept as 16 bytes of its
/// SHA-256, days and model names are shared (unkeyed records are summed straight away). Not thread-safe.
/// </summary>
public sealed class TokenLedger
{
    private readonly Dictionary<UInt128, Entry> _keyed = [];
    private readonly Dictionary<string, string> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenCounts> _unkeyedByDay = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenCounts> _unkeyedByModel = new(StringComparer.Ordinal);
    private TokenCounts _unkeyedTotal = TokenCounts.Zero;
    private int _records;
    private int _unkeyed;

    /// <summary>Records added so far (before deduplication).</summary>
    public int RecordCount => _records;

    public void Add(TokenUsageRecord usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        _records++;
        var entry = new Entry(
            usage.InputTokens, usage.OutputTokens, usage.CacheCreationTokens, usage.CacheReadTokens,
            DateOnly.FromDateTime(usage.Timestamp.UtcDateTime),
            Shared(usage.Model ?? ScanTotals.NoModel),
            usage.FromSubAgent);

        if (string.IsNullOrEmpty(usage.DedupKey))
        {
            _unkeyed++;
            _unkeyedTotal = _unkeyedTotal.Add(entry.Counts);
            AddTo(_unkeyedByDay, Day(entry.Day), entry.Counts);
            AddTo(_unkeyedByModel, entry.Model, entry.Counts);
            return;
        }

        var key = Digest(usage.DedupKey);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_keyed, key, out var exists);
        if (!exists)
        {
            slot = entry;
            return;
        }

        var replace = slot.FromSubAgent != entry.FromSubAgent
            ? slot.FromSubAgent
            : entry.Total > slot.Total;
        if (replace)
        {
            slot = entry;
        }
    }

    /// <summary>Totals of what was added so far.</summary>
    public ScanTotals GetTotals()
    {
        var total = _unkeyedTotal;
        var byDay = new SortedDictionary<string, TokenCounts>(_unkeyedByDay, StringComparer.Ordinal);
        var byModel = new SortedDictionary<string, TokenCounts>(_unkeyedByModel, StringComparer.Ordinal);
        foreach (var entry in _keyed.Values)
        {
            total = total.Add(entry.Counts);
            AddTo(byDay, Day(entry.Day), entry.Counts);
            AddTo(byModel, entry.Model, entry.Counts);
        }

        return new ScanTotals(total, byDay, byModel, _records, _keyed.Count + _unkeyed);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>16 bytes of SHA-256: collisions are out of reach (2^-64 at four billion keys), and every entry is the same small size.</summary>
    private static UInt128 Digest(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }

    private string Shared(string model)
    {
        ref var shared = ref CollectionsMarshal.GetValueRefOrAddDefault(_models, model, out var exists);
        if (!exists)
        {
            shared = model;
        }

        return shared!;
    }

    private static void AddTo(IDictionary<string, TokenCounts> map, string key, TokenCounts counts) =>
        map[key] = map.TryGetValue(key, out var existing) ? existing.Add(counts) : counts;

    private readonly record struct Entry(long Input, long Output, long CacheCreation, long CacheRead, DateOnly Day, string Model, bool FromSubAgent)
    {
        public long Total => Input + Output + CacheCreation + CacheRead;

        public TokenCounts Counts => new(Input, Output, CacheCreation, CacheRead);
    }
}
