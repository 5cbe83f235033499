using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace CatSyphon.Protocol.Parsing;

/// <summary>
/// Accumulates <see cref="TokenUsageRecord"/>s with ccusage's deduplication rules and produces
/// <see cref="ScanTotals"/>:
/// <list type="bullet">
/// <item>records with the same non-empty <see cref="TokenUsageRecord.DedupKey"/> are one API response;</item>
/// <item>of two copies, a main-session copy (<see cref="TokenUsageRecord.FromSubAgent"/> false) beats a
/// sub-agent copy; otherwise the copy with the strictly larger total wins (on ties, the one added first, or
/// with the lower position when positions are given);</item>
/// <item>records with an empty key are never deduplicated;</item>
/// <item>days are UTC.</item>
/// </list>
/// Memory is one small fixed-size entry per distinct keyed response: the key is kept as 16 bytes of its
/// SHA-256, days and model names are shared (unkeyed records are summed straight away). Not thread-safe:
/// concurrent producers each fill their own ledger, giving each record its position in reading order, and
/// <see cref="AddFrom"/> joins them; the result is the same whatever order the records arrive in.
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

    /// <summary>Adds a record read after every record added so far.</summary>
    public void Add(TokenUsageRecord usage) => Add(usage, _records);

    /// <summary>Adds a record read at <paramref name="position"/> (any order that follows reading order).</summary>
    public void Add(TokenUsageRecord usage, long position)
    {
        ArgumentNullException.ThrowIfNull(usage);
        _records++;
        var entry = new Entry(
            usage.InputTokens, usage.OutputTokens, usage.CacheCreationTokens, usage.CacheReadTokens, usage.CacheCreation1hTokens,
            DateOnly.FromDateTime(usage.Timestamp.UtcDateTime),
            Shared(usage.Model ?? ScanTotals.NoModel),
            usage.FromSubAgent,
            position);

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

        if (Beats(entry, slot))
        {
            slot = entry;
        }
    }

    /// <summary>
    /// Adds every record of <paramref name="other"/>, as if each had been added here at its own position (positions
    /// of the two ledgers must differ). Which copy of a response counts does not depend on the order of ledgers.
    /// </summary>
    public void AddFrom(TokenLedger other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _records += other._records;
        _unkeyed += other._unkeyed;
        _unkeyedTotal = _unkeyedTotal.Add(other._unkeyedTotal);
        foreach (var (day, counts) in other._unkeyedByDay)
        {
            AddTo(_unkeyedByDay, day, counts);
        }

        foreach (var (model, counts) in other._unkeyedByModel)
        {
            AddTo(_unkeyedByModel, Shared(model), counts);
        }

        foreach (var (key, entry) in other._keyed)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_keyed, key, out var exists);
            if (!exists || Beats(entry, slot))
            {
                slot = entry with { Model = Shared(entry.Model) };
            }
        }
    }

    /// <summary>A main-session copy beats a sub-agent copy; then the larger total; on a tie, the one read first.</summary>
    private static bool Beats(in Entry entry, in Entry slot) =>
        slot.FromSubAgent != entry.FromSubAgent
            ? slot.FromSubAgent
            : entry.Total > slot.Total || (entry.Total == slot.Total && entry.Position < slot.Position);

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

    /// <summary>
    /// 128-bit XXH3 of the key: collisions between honest keys are out of reach (2^-64 at four billion keys), every
    /// entry is the same small size, and it costs a fraction of a cryptographic hash.
    /// </summary>
    private static UInt128 Digest(string key) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));

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

    private readonly record struct Entry(
        long Input, long Output, long CacheCreation, long CacheRead, long CacheCreation1h, DateOnly Day, string Model, bool FromSubAgent, long Position)
    {
        public long Total => Input + Output + CacheCreation + CacheRead;

        public TokenCounts Counts => new(Input, Output, CacheCreation, CacheRead, CacheCreation1h);
    }
}
