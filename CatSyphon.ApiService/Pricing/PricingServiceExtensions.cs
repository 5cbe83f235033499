using Microsoft.Extensions.Configuration.Json;

namespace CatSyphon.ApiService.Pricing;

public static class PricingServiceExtensions
{
    /// <summary>
    /// Adds <c>pricing.json</c> (from the content root) to the configuration and the <see cref="PriceTable"/> of its
    /// <c>Pricing</c> section, which is validated when the host starts.
    /// </summary>
    public static void AddPricing(this IHostApplicationBuilder builder)
    {
        // Right after appsettings.{Environment}.json, so user secrets, environment variables and the command line,
        // which the host added later, still override single prices.
        var sources = builder.Configuration.Sources;
        var afterAppSettings = sources.ToList().FindLastIndex(source =>
            source is FileConfigurationSource { Path: { } path } && path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)) + 1;
        sources.Insert(afterAppSettings, new JsonConfigurationSource
        {
            Path = PricingOptions.FileName,
            Optional = false,
            FileProvider = builder.Environment.ContentRootFileProvider,
        });

        builder.Services.AddSingleton<IValidateOptions<PricingOptions>, PricingOptionsValidator>();
        builder.Services.AddOptions<PricingOptions>()
            .BindConfiguration(PricingOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new PriceTable(services.GetRequiredService<IOptions<PricingOptions>>().Value));
        builder.Services.AddSingleton<PricedTokenTotals>();
    }
}
