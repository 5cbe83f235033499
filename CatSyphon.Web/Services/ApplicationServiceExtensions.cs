namespace CatSyphon.Web.Services;

internal static class ApplicationServiceExtensions
{
    /// <summary>The API's service-discovery address: the web front end reads everything through it.</summary>
    private const string ApiBaseAddress = "https+http://api";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents();

        var apiStatus = builder.Services.AddHttpClient<ApiStatusClient>(client =>
        {
            client.BaseAddress = new Uri(ApiBaseAddress);
            client.Timeout = TimeSpan.FromSeconds(5);
        });
#pragma warning disable EXTEXP0001 // Evaluation API; the stable alternative is re-tuning retries per client.
        // A readiness answer is wanted now: retrying a 503 would only hide it.
        apiStatus.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
