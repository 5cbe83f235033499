using CatSyphon.ApiService.Ingestion;
using Microsoft.AspNetCore.Http.Features;

namespace CatSyphon.ApiService.Apis.CollectorProtocol;

/// <summary>The collector protocol's own answers (back-pressure, sequence gaps, sizes) and how it reads a session id.</summary>
internal static class ProtocolProblems
{
    public const string SequenceGapType = "https://catsyphon.dev/problems/sequence-gap";

    /// <summary>A 503 + Retry-After while the server is behind or its buffer is nearly full; else null.</summary>
    public static async Task<ProblemHttpResult?> BackPressureAsync(HttpContext context, IngestionLag lag, IngestOptions ingest)
    {
        if (await lag.GetAsync() > ingest.MaxLag)
        {
            return ServiceUnavailable(context, ingest, "The server is catching up on buffered events; nothing was stored. Retry later.");
        }

        // Redis refuses writes once it reaches maxmemory (its policy never evicts buffered events):
        // the API stops earlier, with an answer a collector knows how to wait out.
        return await lag.GetMemoryPercentAsync() > ingest.MaxRedisMemoryPercent
            ? ServiceUnavailable(context, ingest, "The ingestion buffer is nearly full; nothing was stored. Retry later.")
            : null;
    }

    public static ProblemHttpResult BatchTooLarge(string detail) => ApiProblems.TooLarge("Batch too large", detail);

    public static ProblemHttpResult SessionNotFound(string sessionId) => ApiProblems.NotFound($"Session '{sessionId}' is not known in this workspace.");

    public static ProblemHttpResult SequenceGap(BufferOutcome.SequenceGap gap) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Sequence gap",
            type: SequenceGapType,
            detail: $"Expected sequence {gap.ExpectedSequence} but received {gap.ReceivedSequence}; resend from {gap.ExpectedSequence}. Nothing was stored.",
            extensions: new Dictionary<string, object?>
            {
                ["expected_sequence"] = gap.ExpectedSequence,
                ["received_sequence"] = gap.ReceivedSequence,
                ["last_sequence"] = gap.LastSequence,
            });

    /// <summary>
    /// The session id exactly as the collector sent it, URL-encoded: any 1..255 characters, <c>/</c> included. The
    /// server decodes the path before routing except for <c>%2F</c> (so <c>a%2Fb</c> routes as one segment), and it
    /// decodes <c>%25</c> too, which makes the route value of <c>a%252Fb</c> read like that of <c>a%2Fb</c>; so the
    /// segment is decoded from the raw request target instead, counted from its end.
    /// </summary>
    public static string SessionIdAsSent(HttpContext context, string routeValue, int segmentFromEnd)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.StartsWith('/'))
        {
            return Uri.UnescapeDataString(routeValue);
        }

        var segments = raw.Split('?', 2)[0].Split('/');
        return Uri.UnescapeDataString(segments[^(segmentFromEnd + 1)]);
    }

    private static ProblemHttpResult ServiceUnavailable(HttpContext context, IngestOptions ingest, string detail)
    {
        context.Response.Headers.RetryAfter = ingest.RetryAfterSeconds.ToString();
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);
    }
}
