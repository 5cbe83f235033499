namespace CatSyphon.IntegrationTests.Scale;

/// <summary>A stack with two web replicas (<c>Scale:WebReplicas=2</c>) and a person to sign in.</summary>
public sealed class WebReplicasFixture : StackFixture
{
    public const int Replicas = 2;

    public Person Person { get; private set; } = null!;

    protected override Task<CatSyphonApp> StartAsync() =>
        CatSyphonApp.StartHealthyAsync(appHostSettings: new Dictionary<string, string> { ["Scale:WebReplicas"] = Replicas.ToString() });

    protected override async Task PrepareAsync(CatSyphonApp started) => Person = await TeamPeople.CreateAsync(started);

    protected override ValueTask ReleaseAsync()
    {
        Person?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Sign-in sessions and the data-protection keys that protect their cookies are shared by the web replicas through Redis.</summary>
public sealed class WebReplicasTests(WebReplicasFixture stack) : IClassFixture<WebReplicasFixture>
{
    private const string DataProtectionKeys = "catsyphon:web:data-protection-keys";
    // A page the web itself refuses to anyone not signed in.
    private const string ProtectedPage = "/me/tokens";

    [Fact]
    public async Task A_person_signed_in_through_one_web_replica_is_signed_in_on_the_other_until_signed_out_there()
    {
        var replicas = await ReplicaEndpoints.OfAsync(stack.App, ResourceNames.Web, WebReplicasFixture.Replicas);
        var (first, second) = (replicas[0], replicas[1]);
        using var browser = new WebSignInClient();
        await browser.SignInAsync(first, stack.Person.Email, stack.Person.Password);
        var sessionCookie = browser.Cookies[WebSignInClient.SessionCookie];
        await AssertDataProtectionKeysInRedisAsync();

        // The other replica never saw the sign-in: it reads the cookie with the shared keys and finds the session in Redis.
        using (var page = await browser.GetAsync(new Uri(second, ProtectedPage)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("_framework/blazor.web.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var stranger = new WebSignInClient())
        using (var refused = await stranger.GetAsync(new Uri(second, ProtectedPage)))
        {
            AssertSentToSignIn(refused);
        }

        // Signing out through the second replica, with a form the first rendered for this person, ends the session everywhere:
        // the cookie as it was before the sign-out opens nothing on the first replica any more.
        await browser.SignOutAsync(second, formSource: first);
        using var copied = new WebSignInClient();
        copied.Cookies[WebSignInClient.SessionCookie] = sessionCookie;
        using var afterSignOut = await copied.GetAsync(new Uri(first, ProtectedPage));
        AssertSentToSignIn(afterSignOut);
    }

    /// <summary>
    /// The replicas share a home folder here, which would also share keys kept on disk: it must be Redis that holds the key
    /// protecting the cookie.
    /// </summary>
    private async Task AssertDataProtectionKeysInRedisAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await stack.App.GetConnectionStringAsync(ResourceNames.Redis));
        var keys = await redis.GetDatabase().ListRangeAsync(DataProtectionKeys);
        Assert.Contains(keys, key => key.ToString().StartsWith("<key ", StringComparison.Ordinal));
    }

    private static void AssertSentToSignIn(HttpResponseMessage answer)
    {
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Matches("^(https?://[^/]+)?/sign-in", answer.Headers.Location?.OriginalString ?? "");
    }
}
