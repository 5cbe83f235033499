using CatSyphon.ApiService.Ingestion;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// Redis or PostgreSQL not answering, or Redis out of memory, is "try again later": 503 with Retry-After,
/// and since every write goes through one atomic Redis step, nothing of the request was stored.
/// </summary>
internal sealed class DependencyUnavailableExceptionHandler(IProblemDetailsService problems, IOptionsMonitor<IngestOptions> options, ILogger<DependencyUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception))
        {
            return false;
        }

        logger.LogWarning(exception, "A dependency is unavailable; answered 503 to {Method} {Path}.", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = options.CurrentValue.RetryAfterSeconds.ToString();
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = "A storage service is not answering; nothing was stored. Retry later.",
            },
        });
    }

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        // Redis at maxmemory refuses writes ("OOM command not allowed..."): full for now, nothing stored.
        RedisServerException redis when redis.Message.StartsWith("OOM ", StringComparison.Ordinal) => true,
        NpgsqlException { IsTransient: true } => true,
        TimeoutException => true,
        _ when exception.InnerException is not null => IsUnavailable(exception.InnerException),
        _ => false,
    };
}
