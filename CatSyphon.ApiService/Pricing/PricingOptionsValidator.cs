namespace CatSyphon.ApiService.Pricing;

/// <summary>
/// Refuses a price table that would misprice usage: missing or negative prices, two prices of a model from the same day,
/// long-context tiers of one rule starting at different token counts.
/// </summary>
public sealed class PricingOptionsValidator : IValidateOptions<PricingOptions>
{
    public ValidateOptionsResult Validate(string? name, PricingOptions options)
    {
        var errors = new List<string>();
        foreach (var (model, entries) in options.Models)
        {
            var path = $"{PricingOptions.SectionName}:Models:{model}";
            if (model.Length == 0 || model.Any(char.IsWhiteSpace))
            {
                errors.Add($"{path}: a model name must be non-empty and without spaces.");
            }

            if (entries.Count == 0)
            {
                errors.Add($"{path} has no price.");
            }

            var days = new HashSet<DateOnly>();
            for (var index = 0; index < entries.Count; index++)
            {
                var entry = entries[index];
                var entryPath = $"{path}:{index}";
                if (entry.From is not { } from)
                {
                    errors.Add($"{entryPath}:From is required: the first day (yyyy-MM-dd, UTC) the price applies.");
                }
                else if (!days.Add(from))
                {
                    errors.Add($"{path} has more than one price from {from:yyyy-MM-dd}.");
                }

                CheckRates(entry, entryPath);
                if (entry.FastMultiplier is < 1)
                {
                    errors.Add($"{entryPath}:FastMultiplier is {entry.FastMultiplier}; fast mode never costs less than standard (at least 1).");
                }

                if (entry.LongContext is { } tier)
                {
                    var tierPath = $"{entryPath}:LongContext";
                    if (tier.Rule is null || !Enum.IsDefined(tier.Rule.Value))
                    {
                        errors.Add($"{tierPath}:Rule is required: {LongContextRule.EachKind} or {LongContextRule.WholeRequest}.");
                    }

                    if (tier.Above is not > 0)
                    {
                        errors.Add($"{tierPath}:Above is required: the tokens per request (more than 0) up to which the standard rates apply.");
                    }

                    CheckRates(tier, tierPath);
                }
            }
        }

        // The SQL prices tiers from sums over the responses beyond one threshold per rule (PriceTable.PricedTotalsSql).
        foreach (var rule in options.Models.Values.SelectMany(prices => prices).Select(entry => entry.LongContext)
                     .Where(tier => tier is { Rule: not null, Above: > 0 }).GroupBy(tier => tier!.Rule!.Value))
        {
            if (rule.Select(tier => tier!.Above).Distinct().Count() > 1)
            {
                errors.Add($"Pricing: every {rule.Key} long-context tier must start above the same token count; "
                           + $"found {string.Join(", ", rule.Select(tier => tier!.Above).Distinct())}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        void CheckRates(RatesOptions rates, string path)
        {
            CheckPrice(rates.Input, nameof(rates.Input));
            CheckPrice(rates.Output, nameof(rates.Output));
            CheckPrice(rates.CacheWrite, nameof(rates.CacheWrite));
            CheckPrice(rates.CacheWrite1h, nameof(rates.CacheWrite1h));
            CheckPrice(rates.CacheRead, nameof(rates.CacheRead));

            void CheckPrice(decimal? price, string field)
            {
                if (price is null)
                {
                    errors.Add($"{path}:{field} is required (USD per million tokens; 0 when the model does not bill it).");
                }
                else if (price < 0)
                {
                    errors.Add($"{path}:{field} is {price}; a price cannot be negative.");
                }
            }
        }
    }
}
