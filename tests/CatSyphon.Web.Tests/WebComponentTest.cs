using System.Net;
using System.Text;
using System.Text.Json;
using CatSyphon.Web.Api;
using CatSyphon.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace CatSyphon.Web.Tests;

/// <summary>
/// A bUnit context with what the web front end's components need: MudBlazor's services, browser calls answered
/// loosely, and the API replaced by <see cref="Answer"/> (path and query in, JSON body out).
/// </summary>
public abstract class WebComponentTest : BunitContext, IAsyncLifetime
{
    public const string ServerUrl = "https://catsyphon.example.com";

    /// <summary>The workspace the components under test are shown in.</summary>
    protected static readonly Guid Workspace = Guid.Parse("11111111-2222-3333-4444-555555555555");

    protected WebComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Options.Create(new CollectorSetupOptions { ServerUrl = ServerUrl }));
        var http = new HttpClient(new StubApi(this)) { BaseAddress = new Uri("http://api.test") };
        Services.AddSingleton(new CatSyphonApi(http, new FixedToken(), NullLogger<CatSyphonApi>.Instance));
    }

    /// <summary>The requests the components made, as method and path with query.</summary>
    protected List<string> Requests { get; } = [];

    /// <summary>The API's answer to a request (method and path with query); null answers 404.</summary>
    protected Func<string, object?> Answer { get; set; } = _ => null;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services can only be disposed asynchronously; xunit disposes them here before the synchronous Dispose.</summary>
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private sealed class FixedToken : IApiTokenSource
    {
        public Task<string?> GetTokenAsync() => Task.FromResult<string?>("admin-token");
    }

    private sealed class StubApi(WebComponentTest test) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = $"{request.Method} {request.RequestUri!.PathAndQuery}";
            test.Requests.Add(call);
            var body = test.Answer(call);
            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent(JsonSerializer.Serialize(body, ApiJson.Options), Encoding.UTF8, "application/json"),
                });
        }
    }
}
