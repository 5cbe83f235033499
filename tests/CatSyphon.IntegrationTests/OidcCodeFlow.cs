using System.Buffers.Text;
using System.Web;
using CatSyphon.TestOidcProvider;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// The relying party's half of the authorization code flow with PKCE, as the web front end runs it, with an HTTP client
/// in place of a browser: the authorization request names the person (<c>login_hint</c>), the provider redirects with a
/// code, and the code, with its verifier, buys the tokens. Returns the ID token the front end hands to the API.
/// </summary>
public static class OidcCodeFlow
{
    public static async Task<string> SignInAsync(OidcProvider provider, TestOidcClient client, string email)
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Guid.NewGuid().ToString("N");
        var nonce = Guid.NewGuid().ToString("N");
        var redirectUri = client.RedirectUris[0].ToString();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var query = HttpUtility.ParseQueryString("");
        query["client_id"] = client.ClientId;
        query["redirect_uri"] = redirectUri;
        query["response_type"] = "code";
        query["scope"] = "openid email profile";
        query["code_challenge"] = challenge;
        query["code_challenge_method"] = "S256";
        query["state"] = state;
        query["nonce"] = nonce;
        query["login_hint"] = email;
        using var authorize = await http.GetAsync(new UriBuilder(provider.AuthorizationEndpoint) { Query = query.ToString() }.Uri);
        Assert.True(authorize.StatusCode == HttpStatusCode.Found, $"authorize: {(int)authorize.StatusCode} {await authorize.Content.ReadAsStringAsync()}");
        var location = authorize.Headers.Location!;
        Assert.StartsWith(redirectUri, location.ToString(), StringComparison.Ordinal);
        var answer = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal(state, answer["state"]);
        var code = answer["code"] ?? throw new InvalidOperationException($"No code in {location}");

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = client.ClientId,
        };
        if (client.ClientSecret is { } secret)
        {
            form["client_secret"] = secret;
        }

        using var token = await http.PostAsync(provider.TokenEndpoint, new FormUrlEncodedContent(form));
        var body = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement;
        Assert.True(token.StatusCode == HttpStatusCode.OK, $"token: {(int)token.StatusCode} {body}");
        var idToken = body.GetProperty("id_token").GetString()!;
        // The front end checks the nonce it sent (the API cannot: it never saw the request).
        Assert.Equal(nonce, Payload(idToken).GetProperty("nonce").GetString());
        return idToken;
    }

    /// <summary>A JWT's payload, unverified: for a test to read what the provider put in it.</summary>
    public static JsonElement Payload(string jwt) => JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement;
}
