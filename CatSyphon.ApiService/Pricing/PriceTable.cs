using Microsoft.Extensions.Options;
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
/// It sums tokens per key, model, day and speed first (responses that may reach a long-context tier apart), prices each
/// distinct model and day once (a join on <c>unnest(@price_model, @price_from, ...)</c>, the table as parallel arrays),
/// then sums cost per key. Its cost is <see cref="Price.CostOf"/> summed over the responses.
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
    /// multiplier), the long-context tier <c>@tier_rule</c> (text[], null without a tier), <c>@tier_above</c> (bigint[]) and
    /// its rates <c>@tier_input</c>... (numeric[]); and <c>@long_context_from</c> (bigint), the smallest tier threshold.
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
            new("tier_above", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = tiers.Select(tier => tier?.Above).ToArray() },
            .. RateParameters("tier", tiers.Select(tier => tier?.Rates ?? NoRates)),
            new("long_context_from", tiers.Min(tier => tier?.Above) ?? long.MaxValue),
        ];
    }

    /// <summary>
    /// Wraps <paramref name="usageSql"/> (one row per API response, columns <c>key</c>, <c>model</c>, <c>day</c>, <c>input</c>,
    /// <c>output</c>, <c>cache_creation</c> (all cache writes), <c>cache_creation_1h</c> (those to the 1-hour cache),
    /// <c>cache_read</c>, <c>fast</c> (boolean)) into a query of its totals per key, ordered by key: <c>key</c>, <c>input</c>,
    /// <c>output</c>, <c>cache_creation</c>, <c>cache_read</c>, <c>cost</c> (USD of the priced tokens) and
    /// <c>unpriced_tokens</c>. Its parameters come from <see cref="CreateSqlParameters"/>.
    /// </summary>
    /// <remarks>
    /// Long-context tiers apply per response, yet summing first keeps the query as fast as a plain sum: a response none
    /// of whose token kinds nor prompt passes the smallest tier threshold costs the same in a sum, and the few others
    /// are grouped with their identical twins only (the <c>ROW(...)</c> in the GROUP BY). For a group of n responses,
    /// each kind's tokens up to the threshold are then <c>least(sum, above * n)</c>, exactly as priced one by one.
    /// </remarks>
    public static string PricedTotalsSql(string usageSql) => $"""
        WITH usage AS (
        {usageSql}
        ),
        grouped AS (
            SELECT key, model, day, fast, count(*) AS requests, sum(input) AS input, sum(output) AS output,
                   sum(cache_creation) AS cache_creation, sum(cache_creation_1h) AS cache_creation_1h, sum(cache_read) AS cache_read
            FROM usage
            GROUP BY key, model, day, fast,
                     CASE WHEN greatest(input, output, cache_creation, cache_read) > @long_context_from
                               OR input + cache_creation + cache_read > @long_context_from
                          THEN ROW(input, output, cache_creation, cache_creation_1h, cache_read) END),
        -- The same choice as PriceTable.Find: in force that day, the longest name equal to the model or followed in it by '-'.
        model_day_price AS (
            SELECT DISTINCT ON (g.model, g.day) g.model, g.day, p.*
            FROM (SELECT DISTINCT model, day FROM grouped) g
            JOIN unnest(@price_model, @price_from, @price_until, @price_input, @price_output, @price_cache_write,
                        @price_cache_write_1h, @price_cache_read, @price_fast, @tier_rule, @tier_above, @tier_input, @tier_output,
                        @tier_cache_write, @tier_cache_write_1h, @tier_cache_read)
                 AS p(price_model, valid_from, valid_until, input, output, cache_write, cache_write_1h, cache_read, fast,
                      tier_rule, tier_above, tier_input, tier_output, tier_cache_write, tier_cache_write_1h, tier_cache_read)
              ON (g.model = p.price_model OR starts_with(g.model, p.price_model || '-'))
             AND g.day >= p.valid_from AND g.day < p.valid_until
            ORDER BY g.model, g.day, length(p.price_model) DESC)
        -- sum() of bigint is numeric, so nothing overflows while summing; the totals fit bigint since token_usages'
        -- CHECK constraints hold every count to 0..1e9 (int64 would take over nine billion such rows per key).
        SELECT g.key,
               coalesce(sum(g.input), 0)::bigint AS input,
               coalesce(sum(g.output), 0)::bigint AS output,
               coalesce(sum(g.cache_creation), 0)::bigint AS cache_creation,
               coalesce(sum(g.cache_read), 0)::bigint AS cache_read,
               coalesce(sum(CASE WHEN g.fast THEN p.fast ELSE 1 END * CASE
                   WHEN p.tier_rule = '{LongContextRule.EachKind}' THEN {Tiered("g.input", "input")} + {Tiered("g.output", "output")}
                        + {Tiered("g.cache_creation - g.cache_creation_1h", "cache_write")} + {Tiered("g.cache_creation_1h", "cache_write_1h")}
                        + {Tiered("g.cache_read", "cache_read")}
                   WHEN p.tier_rule = '{LongContextRule.WholeRequest}' AND g.input + g.cache_creation + g.cache_read > p.tier_above * g.requests
                        THEN {AtRates("tier_")}
                   ELSE {AtRates("")} END), 0)
                   / 1000000 AS cost,
               coalesce(sum(g.input + g.output + g.cache_creation + g.cache_read) FILTER (WHERE p.model IS NULL), 0)::bigint AS unpriced_tokens
        FROM grouped g
        LEFT JOIN model_day_price p ON p.model = g.model AND p.day = g.day
        GROUP BY g.key
        ORDER BY g.key
        """;

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

    /// <summary>The SQL cost (USD x 10^6) of group <c>g</c>'s tokens at the rates whose columns start with <paramref name="prefix"/>.</summary>
    private static string AtRates(string prefix) =>
        $"g.input * p.{prefix}input + g.output * p.{prefix}output + (g.cache_creation - g.cache_creation_1h) * p.{prefix}cache_write"
        + $" + g.cache_creation_1h * p.{prefix}cache_write_1h + g.cache_read * p.{prefix}cache_read";

    /// <summary>The SQL cost of one kind of group <c>g</c>'s tokens, those beyond the tier threshold of each response at the tier's rate.</summary>
    private static string Tiered(string tokens, string rate) =>
        $"least({tokens}, p.tier_above * g.requests) * p.{rate} + greatest({tokens} - p.tier_above * g.requests, 0) * p.tier_{rate}";

    /// <summary>The same rule as the SQL's <c>g.model = p.model OR starts_with(g.model, p.model || '-')</c>.</summary>
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
