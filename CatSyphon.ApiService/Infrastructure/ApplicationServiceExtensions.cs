using CatSyphon.ApiService.Ingestion;
using Microsoft.AspNetCore.Authentication;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CatSyphon.ApiService.Infrastructure;

internal static class ApplicationServiceExtensions
{
    /// <summary>Chooses the scheme by the shape of the bearer token: collector keys start with <c>cs_live_</c>.</summary>
    private const string BearerSchemeName = "Bearer";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatSyphonDbContext>(CatSyphonDbContext.ConnectionName, configureDbContextOptions: CatSyphonDbContext.Configure);
        builder.AddRedisClient(ConnectionNames.Redis);

        builder.Services.AddApiOptions();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRequestBodyLimits();
        builder.Services.Configure<JsonOptions>(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DependencyUnavailableExceptionHandler>();
        // Body binding failures become exceptions, so they get the same problem details as everything else.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityDocumentTransformer>());
        SqlQueries.Configure();

        builder.AddCollectorAuthentication();
        builder.AddIngestion();
        builder.AddPricing();
    }

    private static void AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SessionBuffer>();
        builder.Services.AddSingleton<SessionDedupWindow>();
        builder.Services.AddSingleton<IngestionLag>();
        builder.Services.AddSingleton<IngestionMetrics>();
        builder.Services.AddSingleton<RefusedBatchRecorder>();
        builder.Services.AddSingleton<UploadedLogImporter>();
        builder.Services.AddCollectorRateLimiting();
    }

    private static void AddCollectorAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CollectorKeyCache>();
        builder.Services.AddHostedService<CollectorKeyInvalidationListener>();
        builder.Services.AddSingleton<CollectorContactTracker>();
        builder.Services.AddHostedService<CollectorContactFlusher>();

        builder.Services.AddAuthentication(BearerSchemeName)
            .AddPolicyScheme(BearerSchemeName, "Admin token or collector key", options =>
                options.ForwardDefaultSelector = context =>
                    BearerToken.TryRead(context.Request, out var token) && token.StartsWith("cs_live_", StringComparison.Ordinal)
                        ? CollectorKeyAuthenticationHandler.SchemeName
                        : AdminTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, CollectorKeyAuthenticationHandler>(CollectorKeyAuthenticationHandler.SchemeName, null);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Collector, policy => policy
                .RequireRole(Roles.Collector)
                .RequireAssertion(context => CollectorIdentity.From(context.User) is { Disabled: false }))
            .AddPolicy(Policies.CollectorOrAdmin, policy => policy.RequireRole(Roles.Admin, Roles.Collector));
    }
}
