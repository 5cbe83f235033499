using System.Globalization;

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
/// Memory is one small entry per distinct keyed response (unkeyed records are summed straight away).
/// Not thread-safe.
/// </summary>
public sealed class TokenLedger
{
    private readonly Dictionary<string, Entry> _keyed = new(StringComparer.Ordinal);
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
            new TokenCounts(usage.InputTokens, usage.OutputTokens, usage.CacheCreationTokens, usage.CacheReadTokens),
            Day(usage.Timestamp),
            usage.Model ?? ScanTotals.NoModel,
            usage.FromSubAgent);

        if (string.IsNullOrEmpty(usage.DedupKey))
        {
            _unkeyed++;
            _unkeyedTotal = _unkeyedTotal.Add(entry.Counts);
            AddTo(_unkeyedByDay, entry.Day, entry.Counts);
            AddTo(_unkeyedByModel, entry.Model, entry.Counts);
            return;
        }

        if (_keyed.TryGetValue(usage.DedupKey, out var old))
        {
            var replace = old.FromSubAgent != entry.FromSubAgent
                ? old.FromSubAgent
                : entry.Counts.Total > old.Counts.Total;
            if (replace)
            {
                _keyed[usage.DedupKey] = entry;
            }

            return;
        }

        _keyed.Add(usage.DedupKey, entry);
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
            AddTo(byDay, entry.Day, entry.Counts);
            AddTo(byModel, entry.Model, entry.Counts);
        }

        return new ScanTotals(total, byDay, byModel, _records, _keyed.Count + _unkeyed);
    }

    private static string Day(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void AddTo(IDictionary<string, TokenCounts> map, string key, TokenCounts counts) =>
        map[key] = map.TryGetValue(key, out var existing) ? existing.Add(counts) : counts;

    private readonly record struct Entry(TokenCounts Counts, string Day, string Model, bool FromSubAgent);
}
