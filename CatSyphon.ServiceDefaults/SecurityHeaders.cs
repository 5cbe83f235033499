using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The response headers every CatSyphon service sends: a content security policy of its own, no MIME sniffing, no
/// framing by other sites, and no full address in the Referer of links leaving the site.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>For the API: it serves JSON, never a page to render, frame or run scripts in.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// For the web front end: its own scripts only (no inline or evaluated script), inline styles (the component
    /// library sets style attributes), the circuit's WebSocket, and no framing.
    /// </summary>
    public const string WebPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <param name="policy">The Content-Security-Policy to send.</param>
    /// <param name="exempt">Requests that get every header but the policy (an interactive API reference in development).</param>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string policy, Func<HttpContext, bool>? exempt = null) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (exempt?.Invoke(context) != true)
            {
                headers.ContentSecurityPolicy = policy;
            }

            return next(context);
        });
}
