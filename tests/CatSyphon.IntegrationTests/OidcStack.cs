using CatSyphon.TestOidcProvider;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// The tests' OpenID Connect provider and a stack whose API and web trust it (the app host's <c>Oidc</c> settings), with two registered
/// clients: CatSyphon's web front end, whose ID tokens the API accepts, and another application of the same provider,
/// whose ID tokens it must refuse. Groups map to roles: <see cref="AdminGroup"/> to admin, <see cref="OwnerGroup"/> to owner.
/// </summary>
public abstract class OidcStack(string accountCreation) : IAsyncLifetime
{
    public const string AdminGroup = "catsyphon-admins";
    public const string OwnerGroup = "catsyphon-owners";
    public const string DisplayName = "Test provider";

    /// <summary>No server listens at this redirect URI: the HTTP-client flow reads the code from the redirect itself. The web's own callback joins it once the stack runs.</summary>
    public static readonly TestOidcClient Web = new("catsyphon-web", "web-client-secret-" + Guid.NewGuid().ToString("N"), [new Uri("http://127.0.0.1:9/signin-oidc")]);

    public static readonly TestOidcClient OtherApplication = new("other-application", null, [new Uri("http://127.0.0.1:9/other-callback")]);

    private OidcProvider? provider;
    private CatSyphonApp? app;

    public OidcProvider Provider => provider ?? throw new InvalidOperationException("The provider has not started.");

    public CatSyphonApp App => app ?? throw new InvalidOperationException("The stack has not started.");

    public async Task InitializeAsync()
    {
        provider = await OidcProvider.StartAsync([OtherApplication]);
        // Given to the app host, which passes them to the API and the web alike.
        app = await CatSyphonApp.StartHealthyAsync(appHostSettings: new Dictionary<string, string>
        {
            ["Oidc:Authority"] = provider.Issuer.ToString(),
            ["Oidc:ClientId"] = Web.ClientId,
            ["Oidc:ClientSecret"] = Web.ClientSecret!,
            ["Oidc:DisplayName"] = DisplayName,
            // The provider speaks plain HTTP on the loopback address.
            ["Oidc:RequireHttpsMetadata"] = "false",
            ["Oidc:AccountCreation"] = accountCreation,
            ["Oidc:GroupsClaim"] = "groups",
            [$"Oidc:GroupRoles:{AdminGroup}"] = "admin",
            [$"Oidc:GroupRoles:{OwnerGroup}"] = "owner",
        });

        // The web front end's address is known only now: its callback joins the client's redirect URIs.
        await provider.AddClientAsync(Web with { RedirectUris = [.. Web.RedirectUris, new Uri(new Uri(app.BaseUrl(ResourceNames.Web)), "signin-oidc")] });
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }

    /// <summary>A new person at the provider (a fresh email each time), in <paramref name="groups"/>.</summary>
    public TestOidcUser AddPerson(params string[] groups) =>
        Provider.AddUser(new TestOidcUser($"oidc-{Guid.NewGuid():N}@example.com", "Grace Hopper", groups));

    /// <summary>The code flow as <paramref name="person"/>, for the web front end's client (or <paramref name="client"/>): the ID token.</summary>
    public Task<string> IdTokenAsync(TestOidcUser person, TestOidcClient? client = null) =>
        OidcCodeFlow.SignInAsync(Provider, client ?? Web, person.Email);

    /// <summary><c>POST /api/auth/oidc</c> with <paramref name="idToken"/>, as the front end does after the code flow.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SignInAsync(string idToken)
    {
        using var http = App.CreateHttpClient(ResourceNames.Api);
        using var response = await http.PostAsJsonAsync("/api/auth/oidc", new { id_token = idToken });
        return (response.StatusCode, await CollectorClient.ReadJsonAsync(response));
    }

    /// <summary>Signs <paramref name="person"/> in through the provider and the API; must succeed. Returns <c>GET /api/me</c> with the access token.</summary>
    public async Task<JsonElement> SignInAndGetMeAsync(TestOidcUser person)
    {
        var (status, body) = await SignInAsync(await IdTokenAsync(person));
        Assert.True(status == HttpStatusCode.OK, $"signing in through the provider: {(int)status} {body}");
        using var http = TeamPeople.Client(App, body.GetProperty("access_token").GetString()!);
        return await http.GetFromJsonAsync<JsonElement>("/api/me");
    }

    /// <summary>An account made by an admin, as an invitation is: the person's email, no password.</summary>
    public async Task<Guid> InviteAsync(TestOidcUser person)
    {
        using var admin = App.CreateAdminClient();
        using var created = await admin.PostAsJsonAsync("/api/users", new { email = person.Email, display_name = "Invited" });
        var body = await CollectorClient.ReadJsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"inviting: {(int)created.StatusCode} {body}");
        return body.GetProperty("id").GetGuid();
    }

    /// <summary>The reasons recorded for failed OpenID Connect sign-ins of this stack, oldest first.</summary>
    public async Task<List<JsonElement>> FailedSignInsAsync()
    {
        using var admin = App.CreateAdminClient();
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/audit?action=signin.failed&limit=1000");
        return page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("details"))
            .Where(d => d.GetProperty("method").GetString() == "oidc").Reverse().ToList();
    }
}

public sealed class InviteOnlyOidcStack() : OidcStack("invite_only");

public sealed class AutomaticOidcStack() : OidcStack("automatic");
