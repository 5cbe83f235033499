using CatSyphon.ApiService.Ingestion;
using CatSyphon.ApiService.Monitoring;

namespace CatSyphon.ApiService.Infrastructure;

public static class ApiOptions
{
    /// <summary>
    /// Binds every options class of the API (pricing has its own, <see cref="Pricing.PricingServiceExtensions"/>) and
    /// validates it when the host starts: a wrong value stops the start with a message naming the setting.
    /// </summary>
    public static IServiceCollection AddApiOptions(this IServiceCollection services)
    {
        services.AddValidatedOptions<AdminOptions>(AdminOptions.SectionName);
        services.AddValidatedOptions<SignInOptions>(SignInOptions.SectionName);
        services.AddValidatedOptions<OidcOptions>(OidcOptions.SectionName);
        services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();
        services.AddValidatedOptions<CollectorOptions>(CollectorOptions.SectionName);
        services.AddValidatedOptions<IngestOptions>(IngestOptions.SectionName);
        services.AddValidatedOptions<UploadOptions>(UploadOptions.SectionName);
        services.AddValidatedOptions<Feed.CollectorFeedOptions>(Feed.CollectorFeedOptions.SectionName);
        services.AddValidatedOptions<MonitoringOptions>(MonitoringOptions.SectionName);
        services.AddValidatedOptions<SessionActivityOptions>(SessionActivityOptions.SectionName);
        services.AddValidatedOptions<Apis.Query.Llm.LlmStatusOptions>(LlmSettings.SectionName);
        services.AddSingleton<Apis.Query.Conversations.SessionActivity>();
        return services;
    }
}
