using CatSyphon.ApiService.Ingestion;

namespace CatSyphon.ApiService.Infrastructure;

public static class ApiOptions
{
    /// <summary>
    /// Binds every options class of the API (pricing has its own, <see cref="Pricing.PricingServiceExtensions"/>) and
    /// validates it when the host starts: a wrong value stops the start with a message naming the setting.
    /// </summary>
    public static IServiceCollection AddApiOptions(this IServiceCollection services)
    {
        Add<AdminOptions>(services, AdminOptions.SectionName);
        Add<CollectorOptions>(services, CollectorOptions.SectionName);
        Add<IngestOptions>(services, IngestOptions.SectionName);
        Add<UploadOptions>(services, UploadOptions.SectionName);
        return services;
    }

    private static void Add<T>(IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
