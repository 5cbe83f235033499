using System.Net;
using System.Text;
using CatSyphon.Web.Api;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatSyphon.Web.Tests;

/// <summary>Every way an API call can fail reaches the pages as an <see cref="ApiException"/> a person can read.</summary>
public sealed class CatSyphonApiTests
{
    [Fact]
    public async Task An_api_that_is_down_is_unreachable_not_a_crash()
    {
        var api = Api(_ => throw new HttpRequestException("Connection refused (api:8000)"));

        var failure = await Assert.ThrowsAsync<ApiException>(() => api.ListWorkspacesAsync());

        Assert.Equal(ApiFailure.Unreachable, failure.Failure);
        Assert.DoesNotContain("8000", failure.Message);
    }

    [Fact]
    public async Task A_resilience_pipeline_that_gives_up_is_unreachable_too()
    {
        var api = Api(_ => throw new Polly.Timeout.TimeoutRejectedException());

        Assert.Equal(ApiFailure.Unreachable, (await Assert.ThrowsAsync<ApiException>(() => api.ListWorkspacesAsync())).Failure);
    }

    [Fact]
    public async Task A_refused_token_asks_to_sign_in_again_and_is_not_accepted_at_sign_in()
    {
        var api = Api(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized));

        Assert.Equal(ApiFailure.Unauthorized, (await Assert.ThrowsAsync<ApiException>(() => api.ListWorkspacesAsync())).Failure);
        Assert.False(await api.AcceptsTokenAsync("wrong"));
    }

    [Fact]
    public async Task A_validation_problem_reads_as_its_messages()
    {
        var api = Api(_ => new HttpResponseMessage(HttpStatusCode.UnprocessableEntity)
        {
            Content = new StringContent(
                """{"title":"One or more validation errors occurred.","status":422,"errors":{"slug":["slug is required: 1 to 100 lowercase letters."]}}""",
                Encoding.UTF8, "application/problem+json"),
        });

        var failure = await Assert.ThrowsAsync<ApiException>(() => api.CreateWorkspaceAsync("Team", "Not A Slug"));

        Assert.Equal(ApiFailure.Rejected, failure.Failure);
        Assert.Equal("slug is required: 1 to 100 lowercase letters.", failure.Message);
    }

    [Fact]
    public async Task Calls_carry_the_sessions_admin_token()
    {
        string? sent = null;
        var api = Api(request =>
        {
            sent = request.Headers.Authorization?.ToString();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[]", Encoding.UTF8, "application/json") };
        });

        Assert.Empty(await api.ListWorkspacesAsync());
        Assert.Equal("Bearer the-admin-token", sent);
    }

    private static CatSyphonApi Api(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new(new HttpClient(new Handler(answer)) { BaseAddress = new Uri("http://api.test") }, new Token(), NullLogger<CatSyphonApi>.Instance);

    private sealed class Token : IApiTokenSource
    {
        public Task<string?> GetTokenAsync() => Task.FromResult<string?>("the-admin-token");
    }

    private sealed class Handler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
