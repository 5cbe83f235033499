using Npgsql;
using NpgsqlTypes;

namespace CatSyphon.ApiService.Pricing;

/// <summary>
/// The price table of <see cref="PricingOptions"/>, for C# (<see cref="Find"/>) and for SQL (<see cref="PricedTotalsSql"/>
/// with <see cref="CreateSqlParameters"/>), which choose the same price.
/// </summary>
/// <remarks>
/// <para>
/// Usage of a model on a UTC day takes the price of the entry in force that day whose name is the longest that matches:
/// a name matches the model it equals, and the models that continue it after a '-' (<c>claude-sonnet-4-5</c> prices
/// <c>claude-sonnet-4-5-20250929</c> and any later snapshot). The '-' keeps <c>gpt-5</c> from pricing <c>gpt-5.5</c>, and
/// a model whose short name starts other models' names is configured by its full name (<c>claude-opus-4-20250514</c>,
/// so that <c>claude-opus-4-9</c> is unpriced rather than priced as Opus 4).
/// </para>
/// <para>
/// Usage without a model, of a model no name matches, or before its model's first price is unpriced: <see cref="Find"/>
/// returns null and the SQL counts its tokens as <c>unpriced_tokens</c>. Report those next to the cost, never as zero cost.
/// </para>
/// <para>
/// In SQL, price the rows of a query and sum them per key inside PostgreSQL with <see cref="PricedTotalsSql"/>. The query
/// gives one row per counted API response (deduplicated as <c>token_usages</c> is) with the columns <c>key</c> (the group:
/// day, model, project...), <c>model</c> (text, null when none), <c>day</c> (date, UTC), the token counts <c>input</c>,
/// <c>output</c>, <c>cache_creation</c> (all cache writes), <c>cache_creation_1h</c> (the part written to the 1-hour
/// cache), <c>cache_read</c> (bigint) and <c>fast</c> (boolean, fast mode); it may have its own WITH clauses, and takes
/// named parameters only (<c>@workspace_id</c>), since the price table's parameters are named:
/// <code>
/// var sql = PriceTable.PricedTotalsSql("""
///     SELECT p.name AS key, u.model, (u.occurred_at AT TIME ZONE 'UTC')::date AS day, u.input_tokens AS input,
///            u.output_tokens AS output, u.cache_creation_tokens AS cache_creation,
///            u.cache_creation_1h_tokens AS cache_creation_1h, u.cache_read_tokens AS cache_read, u.fast
///     FROM token_usages u JOIN ... WHERE u.workspace_id = @workspace_id
///     """);
/// await using var command = new NpgsqlCommand(sql, connection);
/// command.Parameters.AddRange(priceTable.CreateSqlParameters());
/// command.Parameters.AddWithValue("workspace_id", workspaceId);
/// // columns: key, input, output, cache_creation, cache_read (bigint), cost (numeric, USD), unpriced_tokens (bigint)
/// </code>
/// It finds the entry that prices each distinct model and day once (a join on <c>unnest(@price_model, @price_from, ...)</c>,
/// the table as parallel arrays), sums tokens per key, entry and speed (with what long-context tiers add to the few large
/// responses), prices those sums, then sums cost per key. Its cost is <see cref="Price.CostOf"/> summed over the responses.
/// </para>
/// </remarks>
public sealed class PriceTable
{
    private readonly DatedPrice[] entries;

    public PriceTable(PricingOptions options)
    {
        var validation = new PricingOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(PricingOptions.SectionName, typeof(PricingOptions), validation.Failures);
        }

        entries = [.. options.Models.OrderBy(model => model.Key, StringComparer.Ordinal).SelectMany(model => Dated(model.Key, model.Value))];
    }

    /// <summary>The price of <paramref name="model"/>'s usage on <paramref name="day"/> (UTC), or null when it is unpriced.</summary>
    public Price? Find(string? model, DateOnly day)
    {
        if (string.IsNullOrEmpty(model))
        {
            return null;
        }

        DatedPrice? best = null;
        foreach (var entry in entries)
        {
            if (day >= entry.From && (entry.Until is not { } until || day < until)
                && NameMatches(entry.Model, model)
                && (best is null || entry.Model.Length > best.Model.Length))
            {
                best = entry;
            }
        }

        return best?.Price;
    }

    /// <summary>
    /// The table as named parameters for <see cref="PricedTotalsSql"/>, arrays of one element per entry: <c>@price_model</c>
    /// (text[]), <c>@price_from</c> and <c>@price_until</c> (date[], until exclusive, 'infinity' when open), the rates
    /// <c>@price_input</c>, <c>@price_output</c>, <c>@price_cache_write</c>, <c>@price_cache_write_1h</c>,
    /// <c>@price_cache_read</c> (numeric[], USD per million tokens), <c>@price_fast</c> (numeric[], the fast-mode
    /// multiplier), the long-context tier <c>@tier_rule</c> (text[], null without a tier) and its rates <c>@tier_input</c>...
    /// (numeric[]); and each rule's threshold, <c>@each_kind_above</c> and <c>@whole_request_above</c> (bigint).
    /// New instances on every call, since a parameter belongs to one command.
    /// </summary>
    public NpgsqlParameter[] CreateSqlParameters()
    {
        var tiers = entries.Select(entry => entry.Price.LongContext).ToArray();
        return
        [
            new("price_model", entries.Select(entry => entry.Model).ToArray()),
            new("price_from", entries.Select(entry => entry.From).ToArray()),
            // Npgsql writes DateOnly.MaxValue as 'infinity', which keeps the SQL range test a plain comparison.
            new("price_until", entries.Select(entry => entry.Until ?? DateOnly.MaxValue).ToArray()),
            .. RateParameters("price", entries.Select(entry => entry.Price.Standard)),
            new("price_fast", entries.Select(entry => entry.Price.FastMultiplier).ToArray()),
            new("tier_rule", tiers.Select(tier => tier?.Rule.ToString()).ToArray()),
            .. RateParameters("tier", tiers.Select(tier => tier?.Rates ?? NoRates)),
            new("each_kind_above", Threshold(LongContextRule.EachKind)),
            new("whole_request_above", Threshold(LongContextRule.WholeRequest)),
        ];

        // One threshold per rule (the validator holds the table to it); long.MaxValue when no entry has the rule.
        long Threshold(LongContextRule rule) => tiers.FirstOrDefault(tier => tier?.Rule == rule)?.Above ?? long.MaxValue;
    }

    /// <summary>
    /// Wraps <paramref name="usageSql"/> (one row per API response, columns <c>key</c>, <c>model</c>, <c>day</c>, <c>input</c>,
    /// <c>output</c>, <c>cache_creation</c> (all cache writes), <c>cache_creation_1h</c> (those to the 1-hour cache),
    /// <c>cache_read</c>, <c>fast</c> (boolean)) into a query of its totals per key, ordered by key: <c>key</c>, <c>input</c>,
    /// <c>output</c>, <c>cache_creation</c>, <c>cache_read</c>, <c>cost</c> (USD of the priced tokens) and
    /// <c>unpriced_tokens</c>. Its parameters come from <see cref="CreateSqlParameters"/>.
    /// </summary>
    /// <remarks>
    /// Long-context tiers apply per response, yet no response is priced on its own: each rule has one threshold for the
    /// whole table (<c>@each_kind_above</c>, <c>@whole_request_above</c>), so the groups also sum, per token kind, the tokens
    /// beyond the each-kind threshold and the tokens of responses whose prompt passes the whole-request one; the price of
    /// the group's entry then turns those sums into what its tier adds. The query stays linear whatever
    /// the responses hold (a per-response price lookup took over 30 s on 3,000,000 maximal responses), and grouping by
    /// anything per response would make PostgreSQL expect too many groups to hash and sort every row instead.
    /// </remarks>
    public static string PricedTotalsSql(string usageSql) => PricedUsageSql($"""
        SELECT r.*, {ResponseTierColumns("r.")} FROM ({usageSql}) r
        """);

    /// <summary>
    /// The columns of one response (the token columns of <paramref name="source"/>, e.g. <c>x.</c>) that its long-context tier
    /// needs, summed by <see cref="PricedUsageSql"/>: <c>each_input</c>... (the tokens
    /// of each kind beyond <c>@each_kind_above</c>) and <c>whole_input</c>... (each kind's tokens when the prompt passes
    /// <c>@whole_request_above</c>, else null).
    /// </summary>
    public static string ResponseTierColumns(string source) => string.Join(", ",
        Kinds(source, (tokens, rate) => $"greatest({tokens} - @each_kind_above, 0) AS each_{rate}", ", "),
        Kinds(source, (tokens, rate) =>
            $"CASE WHEN {source}input + {source}cache_creation + {source}cache_read > @whole_request_above THEN {tokens} END AS whole_{rate}", ", "));

    private static readonly string[] TokenColumns = ["input", "output", "cache_creation", "cache_creation_1h", "cache_read"];

    /// <summary>The sums over <paramref name="source"/>'s usage rows that the price needs: the token columns and the tier columns.</summary>
    private static string SummedColumns(string source) => string.Join(", ",
        string.Join(", ", TokenColumns.Select(column => $"sum({source}{column}) AS {column}")),
        Kinds("", (_, rate) => $"sum({source}each_{rate}) AS each_{rate}", ", "),
        Kinds("", (_, rate) => $"sum({source}whole_{rate}) AS whole_{rate}", ", "));

    /// <summary>The columns of <see cref="ResponseTierColumns"/> for rows that hold no response above either threshold.</summary>
    public static readonly string NoTierColumns = string.Join(", ",
        Kinds("", (_, rate) => $"0 AS each_{rate}", ", "), Kinds("", (_, rate) => $"NULL::bigint AS whole_{rate}", ", "));

    /// <summary>
    /// Prices <paramref name="usageSql"/>: rows of usage (each a response, or a sum of responses of one model, day and
    /// speed) with the columns <c>key</c>, <c>model</c>, <c>day</c>, <c>fast</c>, the token columns and the tier columns of
    /// <see cref="ResponseTierColumns"/> (<see cref="NoTierColumns"/> for rows without a response past a threshold); the
    /// result is that of <see cref="PricedTotalsSql"/>.
    /// </summary>
    /// <remarks>
    /// Each row takes the entry that prices its model and day (found once per distinct model and day), and the rows are
    /// summed per key, entry and speed before they are priced: cost is linear in the tokens, so a sum priced once equals the
    /// priced rows summed, and there are a few such groups where there are thousands per key, model and day (by project
    /// over 90 days of a 1,000,000-event workspace's daily rollups: 31 ms instead of 50). The usage is read twice, never stored:
    /// the distinct models and days read only its model and day columns, so PostgreSQL leaves out the joins the key needs.
    /// </remarks>
    public static string PricedUsageSql(string usageSql) => $"""
        WITH usage AS NOT MATERIALIZED (
        {usageSql}
        ),
        model_day_entry AS (
            SELECT DISTINCT ON (u.model, u.day) u.model, u.day, p.entry
            FROM (SELECT DISTINCT model, day FROM usage) u
            JOIN {PriceRows} ON {InForce("u")}
            ORDER BY u.model, u.day, length(p.price_model) DESC),
        grouped AS (
            SELECT u.key, e.entry, u.fast, {SummedColumns("u.")}
            FROM usage u
            LEFT JOIN model_day_entry e ON e.model = u.model AND e.day = u.day
            GROUP BY u.key, e.entry, u.fast)
        -- sum() of bigint is numeric, so nothing overflows while summing; the totals fit bigint since token_usages'
        -- CHECK constraints hold every count to 0..1e9 (int64 would take over nine billion such rows per key).
        SELECT g.key,
               coalesce(sum(g.input), 0)::bigint AS input,
               coalesce(sum(g.output), 0)::bigint AS output,
               coalesce(sum(g.cache_creation), 0)::bigint AS cache_creation,
               coalesce(sum(g.cache_read), 0)::bigint AS cache_read,
               coalesce(sum(CASE WHEN g.fast THEN p.fast ELSE 1 END * ({Kinds("g.", (tokens, rate) => $"{tokens} * p.{rate}")} + CASE p.tier_rule
                   WHEN '{LongContextRule.EachKind}' THEN {Kinds("g.", (_, rate) => $"g.each_{rate} * (p.tier_{rate} - p.{rate})")}
                   WHEN '{LongContextRule.WholeRequest}' THEN {Kinds("g.", (_, rate) => $"coalesce(g.whole_{rate}, 0) * (p.tier_{rate} - p.{rate})")}
                   ELSE 0 END)), 0)
                   / 1000000 AS cost,
               coalesce(sum(g.input + g.output + g.cache_creation + g.cache_read) FILTER (WHERE g.entry IS NULL), 0)::bigint AS unpriced_tokens
        FROM grouped g
        LEFT JOIN {PriceRows} ON p.entry = g.entry
        GROUP BY g.key
        ORDER BY g.key
        """;

    /// <summary>
    /// The price table's entries as rows <c>p</c>, from the parameters of <see cref="CreateSqlParameters"/>, each numbered
    /// by its place in the arrays (<c>entry</c>).
    /// </summary>
    private const string PriceRows = """
        unnest(@price_model, @price_from, @price_until, @price_input, @price_output, @price_cache_write, @price_cache_write_1h,
                   @price_cache_read, @price_fast, @tier_rule, @tier_input, @tier_output, @tier_cache_write,
                   @tier_cache_write_1h, @tier_cache_read) WITH ORDINALITY
            AS p(price_model, valid_from, valid_until, input, output, cache_write, cache_write_1h, cache_read, fast,
                 tier_rule, tier_input, tier_output, tier_cache_write, tier_cache_write_1h, tier_cache_read, entry)
        """;

    /// <summary>
    /// Whether entry <c>p</c> may price the model and day of <paramref name="usage"/>, the same test as <see cref="Find"/>:
    /// in force that day, named as the model or as its start followed by '-' (the longest such name wins: order by its length).
    /// </summary>
    private static string InForce(string usage) =>
        $"({usage}.model = p.price_model OR starts_with({usage}.model, p.price_model || '-')) AND {usage}.day >= p.valid_from AND {usage}.day < p.valid_until";

    /// <summary>Rates of a model without a long-context tier, in the tier arrays (never used: its rule is null).</summary>
    private static readonly Rates NoRates = new(0, 0, 0, 0, 0);

    private static IEnumerable<NpgsqlParameter> RateParameters(string prefix, IEnumerable<Rates> rates)
    {
        var all = rates.ToArray();
        yield return new($"{prefix}_input", all.Select(rate => rate.Input).ToArray());
        yield return new($"{prefix}_output", all.Select(rate => rate.Output).ToArray());
        yield return new($"{prefix}_cache_write", all.Select(rate => rate.CacheWrite).ToArray());
        yield return new($"{prefix}_cache_write_1h", all.Select(rate => rate.CacheWrite1h).ToArray());
        yield return new($"{prefix}_cache_read", all.Select(rate => rate.CacheRead).ToArray());
    }

    /// <summary>
    /// The SQL sum over the five token kinds of <paramref name="term"/>(tokens, rate column), the tokens taken from the
    /// columns of <paramref name="source"/> (<c>g.</c> or <c>r.</c>); 5-minute writes are all writes but the 1-hour ones.
    /// </summary>
    private static string Kinds(string source, Func<string, string, string> term, string separator = " + ") => string.Join(separator,
        term($"{source}input", "input"),
        term($"{source}output", "output"),
        term($"({source}cache_creation - {source}cache_creation_1h)", "cache_write"),
        term($"{source}cache_creation_1h", "cache_write_1h"),
        term($"{source}cache_read", "cache_read"));

    /// <summary>The same rule as the SQL's <c>u.model = p.price_model OR starts_with(u.model, p.price_model || '-')</c> (<see cref="InForce"/>).</summary>
    private static bool NameMatches(string name, string model) =>
        model.StartsWith(name, StringComparison.Ordinal) && (model.Length == name.Length || model[name.Length] == '-');

    private static IEnumerable<DatedPrice> Dated(string model, IEnumerable<PriceEntryOptions> prices)
    {
        var ordered = prices.OrderBy(price => price.From).ToArray();
        for (var index = 0; index < ordered.Length; index++)
        {
            var price = ordered[index];
            var next = index + 1 < ordered.Length ? ordered[index + 1].From : null;
            var tier = price.LongContext is { } longContext
                ? new LongContextTier(longContext.Rule!.Value, longContext.Above!.Value, RatesOf(longContext))
                : null;
            yield return new DatedPrice(model, price.From!.Value, next, new Price(RatesOf(price), tier, price.FastMultiplier ?? 1));
        }
    }

    private static Rates RatesOf(RatesOptions rates) =>
        new(rates.Input!.Value, rates.Output!.Value, rates.CacheWrite!.Value, rates.CacheWrite1h!.Value, rates.CacheRead!.Value);

    /// <summary>A model's price in force from <see cref="From"/> up to, not including, <see cref="Until"/> (open when null).</summary>
    private sealed record DatedPrice(string Model, DateOnly From, DateOnly? Until, Price Price);
}
