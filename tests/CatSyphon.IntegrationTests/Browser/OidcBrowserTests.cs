using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// "Sign in with &lt;provider&gt;" in chromium, against the tests' real OpenID Connect provider: the web runs the code
/// flow with PKCE, the API checks the ID token and finds the invited account.
/// </summary>
public sealed class OidcBrowserTests(InviteOnlyOidcStack stack, BrowserFixture browser) : IClassFixture<InviteOnlyOidcStack>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_invited_person_signs_in_through_the_provider_and_an_uninvited_one_is_told_why_not()
    {
        var invited = stack.AddPerson();
        await stack.InviteAsync(invited);
        var page = await SignInThroughTheProviderAsync(invited.Email, "oidc-sign-in");
        await Expect(page.GetByTestId("person-menu")).ToContainTextAsync("Invited");
        Assert.DoesNotMatch("/sign-in", new Uri(page.Url).AbsolutePath);
        await BrowserFixture.ScreenshotAsync(page, "oidc-signed-in");

        var stranger = stack.AddPerson();
        var refused = await SignInThroughTheProviderAsync(stranger.Email, screenshot: null);
        await Expect(refused).ToHaveURLAsync(new Regex("/sign-in"));
        await Expect(refused.GetByRole(AriaRole.Alert).First).ToContainTextAsync("invite");
        await BrowserFixture.ScreenshotAsync(refused, "oidc-sign-in-refused");
    }

    /// <summary>From the sign-in page through the provider's form and back, in a browser of its own.</summary>
    private async Task<IPage> SignInThroughTheProviderAsync(string email, string? screenshot)
    {
        var context = await browser.NewContextAsync(stack.App.BaseUrl(ResourceNames.Web));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        var button = page.GetByRole(AriaRole.Link, new() { Name = $"Sign in with {OidcStack.DisplayName}" });
        await Expect(button).ToBeVisibleAsync();
        if (screenshot is not null)
        {
            await BrowserFixture.ScreenshotAsync(page, screenshot);
        }

        await button.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(stack.Provider.Issuer.Authority)));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).Authority != stack.Provider.Issuer.Authority);
        return page;
    }
}
