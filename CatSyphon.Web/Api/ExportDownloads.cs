using System.Net;
using System.Net.Http.Headers;
using CatSyphon.Web.Authentication;

namespace CatSyphon.Web.Api;

/// <summary>
/// Export archives downloaded through the web front end: the browser holds only its session cookie, so these endpoints
/// ask the API as the signed-in person (their access token) and pass the archive on as it arrives, never holding it.
/// </summary>
public static class ExportDownloads
{
    /// <summary>The API client for downloads: no retries and no total timeout, which suit answers that take seconds, not archives.</summary>
    public const string HttpClientName = "export";

    public const string MinePath = "/export/me";

    public static string WorkspacePath(Guid workspaceId) => $"/export/workspaces/{workspaceId}";

    public static void MapExportDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet(MinePath, (HttpContext context, IHttpClientFactory clients) =>
            RelayAsync(context, clients, "/api/me/export"))
            .RequireAuthorization();
        app.MapGet("/export/workspaces/{id:guid}", (Guid id, HttpContext context, IHttpClientFactory clients) =>
            RelayAsync(context, clients, $"/api/workspaces/{id}/export"))
            .RequireAuthorization();
    }

    /// <summary>Sends the API's archive on to the browser as a download; a refusal comes back as the API's status with its reason.</summary>
    private static async Task<IResult> RelayAsync(HttpContext context, IHttpClientFactory clients, string apiPath)
    {
        if (SignedInPerson.From(context.User) is not { } person)
        {
            return TypedResults.Challenge();
        }

        using var http = clients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, apiPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", person.AccessToken);
        using var answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        switch (answer.StatusCode)
        {
            case HttpStatusCode.OK:
                context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
                context.Response.Headers.ContentDisposition = answer.Content.Headers.ContentDisposition?.ToString();
                await using (var body = await answer.Content.ReadAsStreamAsync(context.RequestAborted))
                {
                    await body.CopyToAsync(context.Response.Body, context.RequestAborted);
                }

                return TypedResults.Empty;
            case HttpStatusCode.Unauthorized:
                return TypedResults.Challenge();
            default:
                return TypedResults.Problem(statusCode: (int)answer.StatusCode,
                    detail: answer.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                        ? "You may not export this: a workspace's export is for its admins."
                        : "The server could not make the export; try again later.");
        }
    }
}
