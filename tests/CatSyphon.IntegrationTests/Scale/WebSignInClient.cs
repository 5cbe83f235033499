using System.Text.RegularExpressions;

namespace CatSyphon.IntegrationTests.Scale;

/// <summary>
/// What a browser does to sign in to the web front end and out again, over plain HTTP: it keeps its cookies (and sends
/// them to whichever address it is pointed at, as one site behind a load balancer), fills in the sign-in form with the
/// form's antiforgery token, and posts the sign-out form. Redirects are not followed, so a test sees them.
/// </summary>
public sealed partial class WebSignInClient : IDisposable
{
    public const string SessionCookie = "catsyphon.session";

    private readonly HttpClient http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });

    /// <summary>The cookies this browser holds, by name.</summary>
    public Dictionary<string, string> Cookies { get; } = [];

    public async Task<HttpResponseMessage> GetAsync(Uri address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        return await SendAsync(request);
    }

    /// <summary>Signs in through the sign-in form at <paramref name="web"/>; the answer must be a redirect into the app.</summary>
    public async Task SignInAsync(Uri web, string email, string password)
    {
        var fields = await FormFieldsAsync(new Uri(web, "/sign-in"));
        fields["Form.Email"] = email;
        fields["Form.Password"] = password;
        using var answer = await PostFormAsync(new Uri(web, "/sign-in"), fields);
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect && Cookies.ContainsKey(SessionCookie),
            $"signing in: {(int)answer.StatusCode} {answer.Headers.Location} {await answer.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Posts the sign-out form to <paramref name="web"/>, with an antiforgery token from a form <paramref name="formSource"/>
    /// rendered for the signed-in person; the answer must be the redirect to the signed-out page.
    /// </summary>
    public async Task SignOutAsync(Uri web, Uri formSource)
    {
        var token = (await FormFieldsAsync(new Uri(formSource, "/sign-in")))["__RequestVerificationToken"];
        using var answer = await PostFormAsync(new Uri(web, "/sign-out"), new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.Location?.OriginalString == "/sign-in?signedOut=true",
            $"signing out: {(int)answer.StatusCode} {answer.Headers.Location}");
    }

    /// <summary>The hidden fields of the form on the page at <paramref name="page"/> (its handler name and antiforgery token).</summary>
    private async Task<Dictionary<string, string>> FormFieldsAsync(Uri page)
    {
        using var answer = await GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var html = await answer.Content.ReadAsStringAsync();
        var fields = new Dictionary<string, string>();
        foreach (Match input in HiddenInput().Matches(html))
        {
            var attributes = Attribute().Matches(input.Value).ToDictionary(attribute => attribute.Groups[1].Value, attribute => WebUtility.HtmlDecode(attribute.Groups[2].Value));
            fields[attributes["name"]] = attributes.GetValueOrDefault("value", "");
        }

        return fields;
    }

    private async Task<HttpResponseMessage> PostFormAsync(Uri address, IDictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = new FormUrlEncodedContent(fields) };
        return await SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(cookie => $"{cookie.Key}={cookie.Value}")));
        }

        var answer = await http.SendAsync(request);
        foreach (var header in answer.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            // name=value; path=/; expires=...: an empty value (sent with a past expiry) deletes the cookie.
            var pair = header.Split(';')[0].Split('=', 2);
            if (pair[1].Length == 0)
            {
                Cookies.Remove(pair[0]);
            }
            else
            {
                Cookies[pair[0]] = pair[1];
            }
        }

        return answer;
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("""<input\b[^>]*\btype="hidden"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    [GeneratedRegex("([\\w.:-]+)=\"([^\"]*)\"")]
    private static partial Regex Attribute();
}
