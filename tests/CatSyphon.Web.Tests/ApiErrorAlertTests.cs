using CatSyphon.Web.Api;
using CatSyphon.Web.Components.Shared;

namespace CatSyphon.Web.Tests;

public sealed class ApiErrorAlertTests : WebComponentTest
{
    [Fact]
    public void An_api_that_is_down_is_explained_with_a_way_to_try_again()
    {
        var retried = false;
        var alert = Render<ApiErrorAlert>(parameters => parameters
            .Add(p => p.Error, new ApiException(ApiFailure.Unreachable, "The CatSyphon API cannot be reached right now.", inner: new HttpRequestException("connection refused")))
            .Add(p => p.OnRetry, () => retried = true));

        Assert.Contains("The server is not answering", alert.Markup);
        Assert.Contains("The CatSyphon API cannot be reached right now.", alert.Markup);
        Assert.DoesNotContain("connection refused", alert.Markup);
        alert.Find("button").Click();
        Assert.True(retried);
    }

    [Fact]
    public void A_refused_token_leads_back_to_sign_in()
    {
        var alert = Render<ApiErrorAlert>(parameters => parameters
            .Add(p => p.Error, new ApiException(ApiFailure.Unauthorized, "The API no longer accepts this session's admin token. Sign in again.")));

        Assert.Equal("/sign-in", alert.Find("a").GetAttribute("href"));
    }

    [Fact]
    public void A_failure_of_the_page_itself_shows_no_stack_trace()
    {
        var alert = Render<ApiErrorAlert>(parameters => parameters.Add(p => p.Error, new InvalidOperationException("Sequence contains no elements")));

        Assert.Contains("Something went wrong", alert.Markup);
        Assert.DoesNotContain("Sequence contains no elements", alert.Markup);
        Assert.DoesNotContain(" at ", alert.Markup);
    }
}
