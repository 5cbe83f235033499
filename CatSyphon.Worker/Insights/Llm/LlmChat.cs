using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Http.Resilience;
using OpenAI;
using Polly;

namespace CatSyphon.Worker.Insights.Llm;

/// <summary>What one request about a session came to.</summary>
internal abstract record LlmReply
{
    /// <summary>An answer; <see cref="Answer"/> is null when it could not be read (<see cref="Error"/> says why).</summary>
    public sealed record Answered(LlmAnswer? Answer, string? Error, string Model, long InputTokens, long OutputTokens) : LlmReply;

    /// <summary>No usable answer after every attempt (server errors, timeouts, connection errors, other refusals).</summary>
    public sealed record Failed(string Error, int Attempts) : LlmReply;

    /// <summary>The key or the model is refused (401, 403, 404): no other session can fare better, the round stops.</summary>
    public sealed record Refused(int Status) : LlmReply;
}

/// <summary>
/// The chat client of the configured endpoint (Microsoft.Extensions.AI over the OpenAI client, so any OpenAI-compatible
/// server works), behind a resilience pipeline: each attempt has <see cref="LlmOptions.RequestTimeout"/>; 429 (waiting
/// its Retry-After, capped), 5xx, 408, timeouts and connection errors are retried with exponential back-off and jitter,
/// <see cref="LlmOptions.MaxAttempts"/> attempts in all. The OpenAI client's own retries are off, so the count is ours.
/// </summary>
internal sealed class LlmChat : IDisposable
{
    private static readonly AsyncLocal<StrongBox<int>?> AttemptsOfCall = new();

    private readonly LlmOptions options;
    private readonly HttpClient http;
    private readonly IChatClient client;

    public LlmChat(IOptions<LlmOptions> settings)
    {
        options = settings.Value;
        http = new HttpClient(new ResilienceHandler(Pipeline(options)) { InnerHandler = new AttemptCounter { InnerHandler = new SocketsHttpHandler() } })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var clientOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // The pipeline bounds each attempt; this bounds the whole request, body included.
            NetworkTimeout = options.MaxAttempts * (options.RequestTimeout + options.MaxRetryAfter),
        };
        if (options.BaseUrl is { } baseUrl)
        {
            clientOptions.Endpoint = baseUrl;
        }

        client = new OpenAIClient(new ApiKeyCredential(options.ApiKey ?? ""), clientOptions).GetChatClient(options.Model).AsIChatClient();
    }

    public async Task<LlmReply> AskAsync(string rendering, CancellationToken cancellationToken)
    {
        var attempts = AttemptsOfCall.Value = new StrongBox<int>();
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, LlmPrompt.Instructions), new ChatMessage(ChatRole.User, rendering)],
                new ChatOptions { MaxOutputTokens = options.MaxOutputTokens, Temperature = 0, ResponseFormat = ChatResponseFormat.Json },
                cancellationToken);
        }
        catch (ClientResultException exception) when (exception.Status is 401 or 403 or 404)
        {
            return new LlmReply.Refused(exception.Status);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new LlmReply.Failed(Describe(exception), Math.Max(1, attempts.Value));
        }

        var model = response.ModelId is { Length: > 0 and <= ColumnLimits.Identifier } id ? id : options.Model;
        var (input, output) = (response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
        try
        {
            return new LlmReply.Answered(LlmAnswer.Parse(response.Text), null, model, input, output);
        }
        catch (FormatException exception)
        {
            return new LlmReply.Answered(null, $"malformed answer: {exception.Message}", model, input, output);
        }
    }

    public void Dispose()
    {
        (client as IDisposable)?.Dispose();
        http.Dispose();
    }

    /// <summary>A short reason without secrets: the status code, or the kind of failure (a message could quote the request).</summary>
    private static string Describe(Exception exception) => exception switch
    {
        ClientResultException { Status: > 0 } result => $"HTTP {result.Status}",
        _ when Find<Polly.Timeout.TimeoutRejectedException>(exception) => "timed out",
        _ when Find<HttpRequestException>(exception) => "connection failed",
        _ => exception.GetType().Name,
    };

    private static bool Find<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T)
            {
                return true;
            }
        }

        return false;
    }

    private static ResiliencePipeline<HttpResponseMessage> Pipeline(LlmOptions options) => new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, options.MaxAttempts - 1),
            ShouldHandle = arguments => ValueTask.FromResult(options.MaxAttempts > 1 && HttpClientResiliencePredicates.IsTransient(arguments.Outcome)),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
            ShouldRetryAfterHeader = false,
            DelayGenerator = arguments => ValueTask.FromResult(RetryAfter(arguments.Outcome.Result, options.MaxRetryAfter)),
        })
        .AddTimeout(options.RequestTimeout)
        .Build();

    /// <summary>The server's Retry-After (seconds or a date), at most <paramref name="cap"/>; null leaves the back-off to the strategy.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        if (response?.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        var wait = header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } delay ? TimeSpan.FromTicks(Math.Clamp(delay.Ticks, 0, cap.Ticks)) : null;
    }

    /// <summary>Counts the attempts of the current call (each send that reaches the network).</summary>
    private sealed class AttemptCounter : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (AttemptsOfCall.Value is { } attempts)
            {
                Interlocked.Increment(ref attempts.Value);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
