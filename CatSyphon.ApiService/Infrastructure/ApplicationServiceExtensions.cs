using CatSyphon.ApiService.Apis.Export;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.ApiService.Monitoring;
using CatSyphon.ApiService.Privacy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CatSyphon.ApiService.Infrastructure;

internal static class ApplicationServiceExtensions
{
    /// <summary>Chooses the scheme by the shape of the bearer token: <c>cs_live_</c> a collector, <c>cs_pat_</c> and <c>cs_at_</c> a person, anything else the admin token.</summary>
    private const string BearerSchemeName = "Bearer";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatSyphonDbContext>(CatSyphonDbContext.ConnectionName, configureDbContextOptions: CatSyphonDbContext.Configure);
        QueryDbContext.Register(builder);
        builder.AddCatSyphonRedisClient();

        builder.Services.AddApiOptions();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRequestBodyLimits();
        builder.Services.Configure<JsonOptions>(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DependencyUnavailableExceptionHandler>();
        // Body binding failures become exceptions, so they get the same problem details as everything else.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityDocumentTransformer>().AddDocumentTransformer<PublicServerDocumentTransformer>().AddAccessExtension());
        SqlQueries.Configure();

        builder.AddCollectorAuthentication();
        builder.AddIngestion();
        builder.AddPricing();
        builder.Services.AddHostedService<OperationsGauges>();
    }

    private static void AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SessionBuffer>();
        builder.Services.AddSingleton<Apis.Otlp.OtlpReceiver>();
        builder.Services.AddSingleton<SessionDedupWindow>();
        builder.Services.AddSingleton<IngestionLag>();
        builder.Services.AddSingleton<IngestionMetrics>();
        builder.Services.AddSingleton<RefusedBatchRecorder>();
        builder.Services.AddSingleton<CollectorEvents>();
        builder.Services.AddSingleton<UploadedLogImporter>();
        builder.Services.AddSingleton<Feed.CollectorPackages>();
        builder.Services.AddCollectorRateLimiting();
    }

    private static void AddCollectorAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CollectorKeyCache>();
        builder.Services.AddHostedService<CollectorKeyInvalidationListener>();
        builder.Services.AddSingleton<WorkspaceRedactors>();
        builder.Services.AddHostedService<RedactionRuleInvalidationListener>();
        builder.Services.AddSingleton<CollectorContactTracker>();
        builder.Services.AddHostedService<CollectorContactFlusher>();

        builder.Services.AddScoped<RequestAccess>();
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<Passwords>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddScoped<SignInSessions>();
        builder.Services.AddHttpClient(OidcIdTokens.HttpClientName);
        builder.Services.AddSingleton<OidcIdTokens>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<ExportWriter>();
        builder.Services.AddAuthentication(BearerSchemeName)
            .AddPolicyScheme(BearerSchemeName, "Collector key, person's token or admin token", options =>
                options.ForwardDefaultSelector = context =>
                    !BearerToken.TryRead(context.Request, out var token) ? AdminTokenAuthenticationHandler.SchemeName
                    : token.StartsWith(Protocol.CollectorKeys.TokenPrefix, StringComparison.Ordinal) ? CollectorKeyAuthenticationHandler.SchemeName
                    : PersonTokenAuthenticationHandler.Handles(token) ? PersonTokenAuthenticationHandler.SchemeName
                    : AdminTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, PersonTokenAuthenticationHandler>(PersonTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, CollectorKeyAuthenticationHandler>(CollectorKeyAuthenticationHandler.SchemeName, null);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Person, policy => policy.RequireRole(Roles.Admin, Roles.Person))
            .AddPolicy(Policies.Collector, policy => policy
                .RequireRole(Roles.Collector)
                .RequireAssertion(context => CollectorIdentity.From(context.User) is { Disabled: false }))
            .AddPolicy(Policies.CollectorOrAdmin, policy => policy.RequireRole(Roles.Admin, Roles.Collector));
    }
}
