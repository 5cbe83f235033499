using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every CatSyphon service shares: OpenTelemetry over OTLP, the operators' log files, health checks, service
/// discovery and standard HTTP resilience.
/// </summary>
public static class Extensions
{
    public const string LivenessPath = "/health";
    public const string ReadinessPath = "/ready";

    /// <summary>Checks with this tag must pass for <see cref="LivenessPath"/>; every check counts for readiness.</summary>
    public const string LiveTag = "live";

    /// <summary>Where a service serves its metrics for a Prometheus scrape, when <see cref="PrometheusScrapingSetting"/> is true.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Off by default: the scrape shows table sizes and counts, so it is turned on only where the port is reachable by
    /// Prometheus alone (the nginx recipe answers it 404). Everything goes over OTLP either way.
    /// </summary>
    public const string PrometheusScrapingSetting = "Monitoring:PrometheusScraping";

    /// <summary>Names of the <see cref="System.Diagnostics.Metrics.Meter"/>s and activity sources CatSyphon's own code uses.</summary>
    public const string TelemetrySourcePrefix = "CatSyphon.";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddLogFiles();
        builder.AddDefaultHealthChecks();
        builder.AddHttpsEdge();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetrySourcePrefix + "*")
                .AddPrometheusExporterWhen(ServesPrometheusScrape(builder.Configuration)))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetrySourcePrefix + "*")
                .AddAspNetCoreInstrumentation(options =>
                    // Probe traffic would drown the traces people actually look for.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(LivenessPath)
                        && !context.Request.Path.StartsWithSegments(ReadinessPath)
                        && !context.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (the process answers) and <c>/ready</c> (every dependency answers) in every
    /// environment. Both answer small JSON with check names and statuses only: exception messages can
    /// carry connection details, so they stay in the logs.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
            ResponseWriter = WriteHealthReportAsync,
        }).DisableHttpMetrics();

        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            ResponseWriter = WriteHealthReportAsync,
        }).DisableHttpMetrics();

        if (ServesPrometheusScrape(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).DisableHttpMetrics();
        }

        return app;
    }

    /// <summary>Whether <see cref="PrometheusScrapingSetting"/> is on; a value that is not a boolean stops the start naming it.</summary>
    private static bool ServesPrometheusScrape(IConfiguration configuration) =>
        configuration[PrometheusScrapingSetting] is not { } value ? false
        : bool.TryParse(value, out var on) ? on
        : throw new InvalidOperationException($"{PrometheusScrapingSetting} must be true or false, not '{value}'.");

    private static MeterProviderBuilder AddPrometheusExporterWhen(this MeterProviderBuilder metrics, bool enabled) =>
        enabled ? metrics.AddPrometheusExporter() : metrics;

    private static Task WriteHealthReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new HealthReportBody(
            report.Status.ToString(),
            report.Entries.ToDictionary(entry => entry.Key, entry => entry.Value.Status.ToString()));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthReportJsonContext.Default.HealthReportBody);
    }
}
