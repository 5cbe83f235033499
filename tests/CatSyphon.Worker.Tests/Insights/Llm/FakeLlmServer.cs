using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatSyphon.Worker.Tests.Insights.Llm;

/// <summary>How the test server answers one request: a status, the assistant's content, a Retry-After, a delay first.</summary>
internal sealed record FakeReply(int Status = 200, string? Content = null, string? RetryAfter = null, TimeSpan Delay = default)
{
    public const string GoodContent = """
        ```json
        {"sentiment": "Positive", "summary": "The developer fixed the parser crash and the tests pass.",
         "problems": ["a null token crashed the parser"], "features": ["parser fix"], "learning_opportunities": []}
        ```
        """;

    public static FakeReply Good { get; } = new(Content: GoodContent);
}

/// <summary>
/// An OpenAI-compatible server in this process (Kestrel on a free port): <c>POST /v1/chat/completions</c> answers the
/// real response shape (id, model, choices, usage) or an error, scripted per test: the queued replies first, then
/// <see cref="Fallback"/> (which sees the request body). Every request body is kept with the time it arrived.
/// </summary>
internal sealed class FakeLlmServer : IAsyncDisposable
{
    public const string ServedModel = "gpt-test-2026-12";
    public const int InputTokens = 321;
    public const int OutputTokens = 54;

    private readonly WebApplication app;
    private readonly ConcurrentQueue<FakeReply> scripted = new();

    private FakeLlmServer(WebApplication app) => this.app = app;

    public ConcurrentQueue<(DateTimeOffset At, string Body)> Requests { get; } = new();

    public Func<string, FakeReply> Fallback { get; set; } = _ => FakeReply.Good;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FakeLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeLlmServer(app);
        app.MapPost("/v1/chat/completions", server.AnswerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri($"{address}/v1");
        return server;
    }

    /// <summary>The next requests get these replies, in order.</summary>
    public void Then(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            scripted.Enqueue(reply);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        Requests.Enqueue((DateTimeOffset.UtcNow, body));
        var reply = scripted.TryDequeue(out var next) ? next : Fallback(body);
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsJsonAsync(reply.Status == 200 ? Completion(reply.Content ?? "") : Error(reply.Status));
    }

    private static object Completion(string content) => new
    {
        id = $"chatcmpl-{Guid.NewGuid():N}",
        @object = "chat.completion",
        created = 1_764_580_000,
        model = ServedModel,
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = InputTokens, completion_tokens = OutputTokens, total_tokens = InputTokens + OutputTokens },
    };

    private static object Error(int status) => new { error = new { message = $"scripted failure {status}", type = "test_error", code = (string?)null } };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
