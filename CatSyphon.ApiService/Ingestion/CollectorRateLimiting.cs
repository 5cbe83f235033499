using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// A token bucket per collector (its default leaves room for a full-speed backfill), shared by every API replica through
/// Redis (<see cref="SharedCollectorRateLimiter"/>); over it: 429 + Retry-After.
/// </summary>
internal static class CollectorRateLimiting
{
    public const string PolicyName = "per-collector";

    public static IServiceCollection AddCollectorRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, context =>
            {
                var requestServices = context.RequestServices;
                var perSecond = requestServices.GetRequiredService<IOptionsMonitor<IngestOptions>>().CurrentValue.RequestsPerSecondPerCollector;
                var collector = CollectorIdentity.From(context.User)?.CollectorId.ToString() ?? "anonymous";
                // A change of the rate gives a new partition, so the limiter never outlives its setting.
                return RateLimitPartition.Get($"{collector}/{perSecond}", _ => new SharedCollectorRateLimiter(
                    requestServices.GetRequiredService<IConnectionMultiplexer>(), SharedCollectorRateLimiter.KeyOf(collector), perSecond,
                    requestServices.GetRequiredService<TimeProvider>(), requestServices.GetRequiredService<ILogger<SharedCollectorRateLimiter>>()));
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = retryAfter.ToString();
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"This collector is over its request rate; nothing was stored. Retry after {retryAfter} s.",
                    },
                });
            };
        });
}
