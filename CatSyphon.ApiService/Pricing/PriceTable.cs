using Microsoft.Extensions.Options;
using Npgsql;

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
/// gives one row per counted usage (deduplicated as <c>StatsApi</c> does) with the columns <c>key</c> (the group: day, model, project...), <c>model</c> (text,
/// null when none), <c>day</c> (date, UTC) and the four token counts <c>input</c>, <c>output</c>, <c>cache_creation</c>,
/// <c>cache_read</c> (bigint); it may have its own WITH clauses, and takes named parameters only (<c>@workspace_id</c>),
/// since the price table's parameters are named:
/// <code>
/// var sql = PriceTable.PricedTotalsSql("""
///     SELECT p.name AS key, m.model, (m.emitted_at AT TIME ZONE 'UTC')::date AS day,
///            m.input_tokens AS input, m.output_tokens AS output, m.cache_creation_tokens AS cache_creation, m.cache_read_tokens AS cache_read
///     FROM messages m JOIN ... WHERE c.workspace_id = @workspace_id
///     """);
/// await using var command = new NpgsqlCommand(sql, connection);
/// command.Parameters.AddRange(priceTable.CreateSqlParameters());
/// command.Parameters.AddWithValue("workspace_id", workspaceId);
/// // columns: key, input, output, cache_creation, cache_read (bigint), cost (numeric, USD), unpriced_tokens (bigint)
/// </code>
/// It sums tokens per key, model and day first, prices each distinct model and day once (a join on
/// <c>unnest(@price_model, @price_from, ...)</c>, the table as parallel arrays), then sums cost per key; cost is linear
/// in tokens, so pricing the sums equals pricing every row.
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
    /// The table as named array parameters for <see cref="PricedTotalsSql"/>: <c>@price_model</c> (text[]), <c>@price_from</c>
    /// and <c>@price_until</c> (date[], until exclusive, 'infinity' when open), <c>@price_input</c>, <c>@price_output</c>,
    /// <c>@price_cache_write</c>, <c>@price_cache_read</c> (numeric[], USD per million tokens). New instances on every
    /// call, since a parameter belongs to one command.
    /// </summary>
    public NpgsqlParameter[] CreateSqlParameters() =>
    [
        new("price_model", entries.Select(entry => entry.Model).ToArray()),
        new("price_from", entries.Select(entry => entry.From).ToArray()),
        // Npgsql writes DateOnly.MaxValue as 'infinity', which keeps the SQL range test a plain comparison.
        new("price_until", entries.Select(entry => entry.Until ?? DateOnly.MaxValue).ToArray()),
        new("price_input", entries.Select(entry => entry.Price.Input).ToArray()),
        new("price_output", entries.Select(entry => entry.Price.Output).ToArray()),
        new("price_cache_write", entries.Select(entry => entry.Price.CacheWrite).ToArray()),
        new("price_cache_read", entries.Select(entry => entry.Price.CacheRead).ToArray()),
    ];

    /// <summary>
    /// Wraps <paramref name="usageSql"/> (columns <c>key</c>, <c>model</c>, <c>day</c>, <c>input</c>, <c>output</c>,
    /// <c>cache_creation</c>, <c>cache_read</c>) into a query of its totals per key, ordered by key: <c>key</c>,
    /// <c>input</c>, <c>output</c>, <c>cache_creation</c>, <c>cache_read</c>, <c>cost</c> (USD of the priced tokens) and
    /// <c>unpriced_tokens</c>. Its parameters come from <see cref="CreateSqlParameters"/>.
    /// </summary>
    public static string PricedTotalsSql(string usageSql) => $"""
        WITH usage AS (
        {usageSql}
        ),
        grouped AS (
            SELECT key, model, day, sum(input) AS input, sum(output) AS output,
                   sum(cache_creation) AS cache_creation, sum(cache_read) AS cache_read
            FROM usage
            GROUP BY key, model, day),
        -- The same choice as PriceTable.Find: in force that day, the longest name equal to the model or followed in it by '-'.
        model_day_price AS (
            SELECT DISTINCT ON (g.model, g.day) g.model, g.day, p.input, p.output, p.cache_write, p.cache_read
            FROM (SELECT DISTINCT model, day FROM grouped) g
            JOIN unnest(@price_model, @price_from, @price_until, @price_input, @price_output, @price_cache_write, @price_cache_read)
                 AS p(model, valid_from, valid_until, input, output, cache_write, cache_read)
              ON (g.model = p.model OR starts_with(g.model, p.model || '-'))
             AND g.day >= p.valid_from AND g.day < p.valid_until
            ORDER BY g.model, g.day, length(p.model) DESC)
        -- sum() of bigint is numeric, so nothing overflows while summing; the totals fit bigint since token_usages'
        -- CHECK constraints hold every count to 0..1e9 (int64 would take over nine billion such rows per key).
        SELECT g.key,
               coalesce(sum(g.input), 0)::bigint AS input,
               coalesce(sum(g.output), 0)::bigint AS output,
               coalesce(sum(g.cache_creation), 0)::bigint AS cache_creation,
               coalesce(sum(g.cache_read), 0)::bigint AS cache_read,
               coalesce(sum(g.input * p.input + g.output * p.output + g.cache_creation * p.cache_write + g.cache_read * p.cache_read), 0)
                   / 1000000 AS cost,
               coalesce(sum(g.input + g.output + g.cache_creation + g.cache_read) FILTER (WHERE p.model IS NULL), 0)::bigint AS unpriced_tokens
        FROM grouped g
        LEFT JOIN model_day_price p ON p.model = g.model AND p.day = g.day
        GROUP BY g.key
        ORDER BY g.key
        """;

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
            yield return new DatedPrice(model, price.From!.Value, next,
                new Price(price.Input!.Value, price.Output!.Value, price.CacheWrite!.Value, price.CacheRead!.Value));
        }
    }

    /// <summary>A model's price in force from <see cref="From"/> up to, not including, <see cref="Until"/> (open when null).</summary>
    private sealed record DatedPrice(string Model, DateOnly From, DateOnly? Until, Price Price);
}
