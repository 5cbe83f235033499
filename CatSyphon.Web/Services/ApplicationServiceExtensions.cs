using CatSyphon.Web.Api;
using CatSyphon.Web.Authentication;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace CatSyphon.Web.Services;

internal static class ApplicationServiceExtensions
{
    /// <summary>The API's service-discovery address: the web front end reads everything through it.</summary>
    private const string ApiBaseAddress = "https+http://api";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.AddWebSessions();
        builder.Services.AddValidatedOptions<CollectorSetupOptions>(CollectorSetupOptions.SectionName)
            // The installation's public address, when it has one, is where collectors reach the API.
            .PostConfigure<IOptions<PublicUrlSettings>>((setup, publicUrl) => setup.ServerUrl = publicUrl.Value.BaseAddress ?? setup.ServerUrl);
        builder.Services.AddScoped<WorkspaceMemory>();

        var api = builder.Services.AddHttpClient<CatSyphonApi>(client => client.BaseAddress = new Uri(ApiBaseAddress));
#pragma warning disable EXTEXP0001 // Evaluation API; the stable alternative is re-tuning retries per client.
        api.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        api.AddStandardResilienceHandler(options =>
        {
            // A person is waiting: give up within seconds and say so, rather than retrying for the default 30 s.
            options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
            options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            options.Retry.MaxRetryAttempts = 1;
            // Creating a workspace or rotating a key twice is not harmless.
            options.Retry.DisableForUnsafeHttpMethods();
        });

        var exports = builder.Services.AddHttpClient(ExportDownloads.HttpClientName, client =>
        {
            client.BaseAddress = new Uri(ApiBaseAddress);
            // Only the wait for the answer's headers: an archive's body takes as long as it takes (and ends when the browser leaves).
            client.Timeout = TimeSpan.FromMinutes(2);
        });
#pragma warning disable EXTEXP0001
        // Nothing to retry (a person starts a download again), and no attempt timeout shorter than a large export's first bytes.
        exports.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        var apiStatus = builder.Services.AddHttpClient<ApiStatusClient>(client =>
        {
            client.BaseAddress = new Uri(ApiBaseAddress);
            client.Timeout = TimeSpan.FromSeconds(5);
        });
#pragma warning disable EXTEXP0001
        // A readiness answer is wanted now: retrying a 503 would only hide it.
        apiStatus.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
