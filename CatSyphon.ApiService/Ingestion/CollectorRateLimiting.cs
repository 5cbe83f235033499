using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>A token bucket per collector (its default leaves room for a full-speed backfill); over it: 429 + Retry-After.</summary>
internal static class CollectorRateLimiting
{
    public const string PolicyName = "per-collector";

    public static IServiceCollection AddCollectorRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, context =>
            {
                var perSecond = context.RequestServices.GetRequiredService<IOptionsMonitor<IngestOptions>>().CurrentValue.RequestsPerSecondPerCollector;
                var partition = CollectorIdentity.From(context.User)?.CollectorId.ToString() ?? "anonymous";
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond * 2,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
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
