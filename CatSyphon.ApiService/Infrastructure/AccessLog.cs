using System.Diagnostics;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// Writes one <c>api-access</c> line per request (when the log files are on): method, path, status, duration, who called
/// (as the audit log names them) and the client address. The path is logged without its query string, which carries
/// search text, and escaped, so no request can forge a line. Probes are left out, as from the traces.
/// </summary>
public static partial class AccessLog
{
    private const int MaxPathLength = 512;

    /// <summary>Outermost, so it sees the status the exception handler and status code pages answered.</summary>
    public static IApplicationBuilder UseAccessLog(this WebApplication app)
    {
        if (!LogFiles.Enabled(app.Services))
        {
            return app;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogFiles.AccessCategory);
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                if (!IsProbe(context.Request.Path))
                {
                    Request(logger, context.Request.Method, LoggedPath(context.Request.PathBase, context.Request.Path),
                        context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                        Actors.Of(context.User), context.Connection.RemoteIpAddress?.ToString() ?? "-");
                }
            }
        });
    }

    /// <summary>The path as sent, percent-escaped (no space, quote or line break), without the query string, and bounded.</summary>
    public static string LoggedPath(PathString pathBase, PathString path)
    {
        var escaped = pathBase.Add(path).ToUriComponent();
        return escaped.Length <= MaxPathLength ? escaped : escaped[..MaxPathLength] + "...";
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(Extensions.LivenessPath) || path.StartsWithSegments(Extensions.ReadinessPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {DurationMs:0.0}ms {Caller} {Address}")]
    private static partial void Request(ILogger logger, string method, string path, int status, double durationMs, string caller, string address);
}
