using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CatSyphon.Web.Api;

/// <summary>
/// The CatSyphon API as the signed-in person: every call carries the access token of their session. Failures become
/// <see cref="ApiException"/> with a message a person can read; the endpoints themselves are extension methods,
/// one file per API area.
/// </summary>
public sealed class CatSyphonApi(HttpClient http, IApiTokenSource tokens, ILogger<CatSyphonApi> logger)
{
    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, body: null, cancellationToken);

    public Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    public Task<T> PatchAsync<T>(string path, object body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Patch, path, body, cancellationToken);

    /// <summary>A call whose answer has no body (204).</summary>
    public async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken = default)
    {
        using var response = await ExchangeAsync(method, path, body: null, await tokens.GetTokenAsync(), cancellationToken);
    }

    /// <summary>A call whose answer is text rather than JSON (the weekly digest's Markdown).</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await ExchangeAsync(HttpMethod.Get, path, body: null, await tokens.GetTokenAsync(), cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public Task<T> PutAsync<T>(string path, object body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Put, path, body, cancellationToken);

    /// <summary>Whether the API still accepts <paramref name="token"/> (false when it refuses it).</summary>
    public async Task<bool> AcceptsTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await ExchangeAsync(HttpMethod.Get, "/api/me", body: null, token, cancellationToken);
            return true;
        }
        catch (ApiException exception) when (exception.Failure == ApiFailure.Unauthorized)
        {
            return false;
        }
    }

    /// <summary>A call made with <paramref name="token"/> rather than the session's (signing in, the first owner).</summary>
    public async Task<T> SendWithTokenAsync<T>(HttpMethod method, string path, object? body, string? token, CancellationToken cancellationToken = default)
    {
        using var response = await ExchangeAsync(method, path, body, token, cancellationToken);
        return await ReadAsync<T>(response, method, path, cancellationToken);
    }

    /// <summary>Ends the API session of <paramref name="token"/>; a failure leaves it to expire on its own.</summary>
    public async Task SignOutAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await ExchangeAsync(HttpMethod.Post, "/api/auth/logout", body: null, token, cancellationToken);
        }
        catch (ApiException exception)
        {
            logger.LogWarning(exception, "The API did not end a session at sign-out; it ends when its token expires.");
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await ExchangeAsync(method, path, body, await tokens.GetTokenAsync(), cancellationToken);
        return await ReadAsync<T>(response, method, path, cancellationToken);
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken)
                ?? throw new ApiException(ApiFailure.ServerError, "The API sent an empty answer.");
        }
        catch (JsonException exception)
        {
            logger.LogError(exception, "The API's answer to {Method} {Path} could not be read.", method, path);
            throw new ApiException(ApiFailure.ServerError, "The API sent an answer this page cannot read.", exception);
        }
    }

    private async Task<HttpResponseMessage> ExchangeAsync(HttpMethod method, string path, object? body, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        // The resilience pipeline gives up with its own exceptions: a timed-out attempt, or a circuit opened by earlier failures.
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or Polly.ExecutionRejectedException
                                          && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The API did not answer {Method} {Path}.", method, path);
            throw new ApiException(ApiFailure.Unreachable, "The CatSyphon API cannot be reached right now. It may be starting or down; try again in a moment.", inner: exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var problem = await ReadProblemAsync(response, cancellationToken);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new ApiException(ApiFailure.Unauthorized, problem ?? "Your session has ended. Sign in again."),
                HttpStatusCode.Forbidden => new ApiException(ApiFailure.Forbidden, problem ?? "Your role does not allow this."),
                HttpStatusCode.NotFound => new ApiException(ApiFailure.NotFound, problem ?? "Not found."),
                >= HttpStatusCode.InternalServerError => new ApiException(ApiFailure.ServerError,
                    $"The API failed ({(int)response.StatusCode}){(problem is null ? "." : $": {problem}")}"),
                _ => new ApiException(ApiFailure.Rejected, problem ?? $"The API refused the request ({(int)response.StatusCode})."),
            };
        }
    }

    /// <summary>The detail of a problem-details answer, with each invalid field's message.</summary>
    private static async Task<string?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemDetailsBody>(ApiJson.Options, cancellationToken);
            var errors = problem?.Errors?.SelectMany(error => error.Value) ?? [];
            var parts = new[] { problem?.Detail ?? (problem?.Errors is null ? problem?.Title : null) }.Concat(errors).Where(part => !string.IsNullOrWhiteSpace(part));
            var text = string.Join(" ", parts);
            return text.Length == 0 ? null : text;
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or HttpRequestException)
        {
            return null;
        }
    }

    private sealed record ProblemDetailsBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}

/// <summary>The access token the API calls of this person carry.</summary>
public interface IApiTokenSource
{
    Task<string?> GetTokenAsync();
}
