using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CatSyphon.Collector.Configuration;
using CatSyphon.Collector.Sync;
using CatSyphon.Protocol;

namespace CatSyphon.Collector;

/// <summary>A server answer the collector cannot go on from, with the reason in words.</summary>
public sealed class CollectorException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The collector protocol as a client speaks it.</summary>
public sealed class ServerClient(HttpClient http) : IDisposable
{
    /// <param name="caCertFile">A PEM file of the CA that signs the server's certificate, when the system does not trust it.</param>
    public static ServerClient Create(string serverUrl, string? bearer, Guid? collectorId, string? caCertFile = null)
    {
        if (!Uri.TryCreate(serverUrl, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new CollectorException($"'{serverUrl}' is not an http(s) URL.");
        }

        var client = new HttpClient(ServerTrust.CreateHandler(caCertFile), disposeHandler: true);
        client.BaseAddress = baseAddress;
        client.Timeout = TimeSpan.FromSeconds(30);
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("catsyphon", CollectorVersion.Current));
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (collectorId is { } id)
        {
            client.DefaultRequestHeaders.Add("X-Collector-ID", id.ToString());
        }

        return new ServerClient(client);
    }

    public static ServerClient Create(Credentials credentials) =>
        Create(credentials.ServerUrl, credentials.ApiKey, credentials.CollectorId, credentials.CaCertFile);

    public async Task<RegisterCollectorResponse> RegisterAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var request = new RegisterCollectorRequest("catsyphon", CollectorVersion.Current, Environment.MachineName, workspaceId, null);
        using var response = await SendAsync(() => http.PostAsJsonAsync("/collectors", request, ProtocolJsonContext.Default.RegisterCollectorRequest, cancellationToken));
        return response.StatusCode switch
        {
            HttpStatusCode.Created => (await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.RegisterCollectorResponse, cancellationToken))!,
            HttpStatusCode.Unauthorized => throw new CollectorException(
                "The server refused the registration: this workspace needs an enrollment token (--token) or the admin token."),
            HttpStatusCode.NotFound => throw new CollectorException($"The server has no workspace {workspaceId}."),
            _ => throw await UnexpectedAsync(response, "register", cancellationToken),
        };
    }

    /// <summary>The collector's own record (the "is it active" check).</summary>
    public async Task<CollectorInfo> GetSelfAsync(Guid collectorId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync($"/collectors/{collectorId}", cancellationToken));
        return response.StatusCode switch
        {
            HttpStatusCode.OK => (await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.CollectorInfo, cancellationToken))!,
            HttpStatusCode.Unauthorized => throw Unauthorized(),
            HttpStatusCode.NotFound => throw new CollectorException($"The server does not know collector {collectorId}."),
            _ => throw await UnexpectedAsync(response, "check the collector", cancellationToken),
        };
    }

    /// <summary>Sends one batch of a session's events (already numbered); the caller decides what to do with the outcome.</summary>
    public async Task<SendOutcome> SendEventsAsync(string sessionId, IReadOnlyList<NumberedEvent> events, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(EventBatchWriter.Write(sessionId, events));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/collectors/events", content, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Accepted:
                var accepted = (await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.EventBatchAccepted, cancellationToken))!;
                return new SendOutcome.Accepted(accepted.Accepted, accepted.Duplicates, accepted.LastSequence);
            case HttpStatusCode.Conflict:
                using (var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)))
                {
                    return new SendOutcome.Gap(problem.RootElement.GetProperty("expected_sequence").GetInt64());
                }

            case HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable:
                return new SendOutcome.RetryLater(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2));
            case HttpStatusCode.Unauthorized:
                throw Unauthorized();
            case HttpStatusCode.Forbidden:
                throw new CollectorException("The server has disabled this collector; ask an admin to enable it.", exitCode: 2);
            default:
                var error = await UnexpectedAsync(response, "send events", cancellationToken);
                return (int)response.StatusCode >= 500
                    ? new SendOutcome.RetryLater(TimeSpan.FromSeconds(5))
                    : new SendOutcome.Refused(error.Message);
        }
    }

    /// <summary>The server's last accepted sequence of a session; 0 when it does not know the session.</summary>
    public async Task<long> GetLastSequenceAsync(string sessionId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/collectors/sessions/{Uri.EscapeDataString(sessionId)}", cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                return (await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.SessionStatus, cancellationToken))!.LastSequence;
            case HttpStatusCode.NotFound:
                return 0;
            case HttpStatusCode.Unauthorized:
                throw Unauthorized();
            default:
                throw new HttpRequestException($"session status answered {(int)response.StatusCode}", null, response.StatusCode);
        }
    }

    public async Task HeartbeatAsync(int queueDepth, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/collectors/heartbeat",
            new HeartbeatRequest(queueDepth, CollectorVersion.Current, "watching"), ProtocolJsonContext.Default.HeartbeatRequest, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw Unauthorized();
        }
    }

    /// <summary>Marks a session completed; a session the server does not know is left alone.</summary>
    public async Task CompleteAsync(string sessionId, string outcome, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"/collectors/sessions/{Uri.EscapeDataString(sessionId)}/complete",
            new CompleteSessionRequest(outcome, null, null, null), ProtocolJsonContext.Default.CompleteSessionRequest, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw Unauthorized();
        }
    }

    /// <summary>
    /// Streams an export archive (<paramref name="path"/>, e.g. <c>/api/me/export</c>) into <paramref name="destination"/>
    /// as it arrives, calling <paramref name="progress"/> with the bytes written so far; returns that total.
    /// </summary>
    public async Task<long> DownloadExportAsync(string path, Stream destination, Action<long> progress, CancellationToken cancellationToken)
    {
        // Headers only: the body is copied as it comes, and the client's timeout covers the wait for the headers alone.
        using var response = await SendAsync(() => http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new CollectorException(
                    "The server refused the token: give a personal access token (cs_pat_...) that is not revoked or expired.", exitCode: 2),
                HttpStatusCode.Forbidden => new CollectorException(
                    "Your account may not export this: a workspace's export needs the workspace's admin role (or an organization admin), "
                    + "and the admin token has no data of its own.", exitCode: 3),
                HttpStatusCode.NotFound => new CollectorException("The server has no such workspace, or you have no role in it.", exitCode: 4),
                _ => await UnexpectedAsync(response, "export", cancellationToken),
            };
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[81_920];
        long written = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            written += read;
            progress(written);
        }

        return written;
    }

    /// <summary>The versions of the collector the server's feed offers; none when it offers none or cannot say.</summary>
    public async Task<IReadOnlyList<string>> GetOfferedCollectorVersionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(CollectorFeed.VersionsPath(CollectorFeed.ToolPackageId), cancellationToken);
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.CollectorFeedVersions, cancellationToken))?.Versions ?? []
                : [];
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return [];
        }
    }

    /// <summary>Whether the server answers its liveness probe.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("/health", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => http.Dispose();

    internal static CollectorException Unauthorized() => new(
        "The server refused this collector's key (revoked, rotated or unknown). Register again with 'catsyphon register'.", exitCode: 2);

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException exception)
        {
            throw new CollectorException($"The server cannot be reached: {exception.Message}");
        }
    }

    private static async Task<CollectorException> UnexpectedAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(detail);
            if (problem.RootElement.TryGetProperty("detail", out var text))
            {
                detail = text.GetString() ?? detail;
            }
        }
        catch (JsonException)
        {
            // Not problem details: show the body as it came.
        }

        return new CollectorException($"Could not {action}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}. {detail}".Trim());
    }
}

internal static class CollectorVersion
{
    public static string Current { get; } =
        typeof(CollectorVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
