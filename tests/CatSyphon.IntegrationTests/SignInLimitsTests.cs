namespace CatSyphon.IntegrationTests;

/// <summary>
/// A stack with tight sign-in limits and the admin token turned off (<c>Admin__TokenEnabled=false</c>). The token still
/// opens a server without an owner, so the fixture uses it once to create the first owner, as the web's first run does.
/// </summary>
public sealed class SignInLimitsFixture : StackFixture
{
    public const int MaxFailuresPerAccount = 3;
    public const int MaxFailuresPerAddress = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(2);

    /// <summary>The admin token's answer to <c>GET /api/me</c> before any owner existed.</summary>
    public HttpStatusCode AdminTokenBeforeOwner { get; private set; }

    public Person Owner { get; private set; } = null!;

    protected override Task<CatSyphonApp> StartAsync() => CatSyphonApp.StartHealthyAsync(new Dictionary<string, string>
    {
        ["Admin__TokenEnabled"] = "false",
        ["SignIn__MaxFailuresPerAccount"] = MaxFailuresPerAccount.ToString(),
        ["SignIn__MaxFailuresPerAddress"] = MaxFailuresPerAddress.ToString(),
        ["SignIn__FailureWindow"] = FailureWindow.ToString(),
    });

    protected override async Task PrepareAsync(CatSyphonApp started)
    {
        using var admin = started.CreateAdminClient();
        AdminTokenBeforeOwner = (await admin.GetAsync("/api/me")).StatusCode;
        Owner = await TeamPeople.CreateAsync(started, "owner");
    }

    protected override ValueTask ReleaseAsync()
    {
        Owner?.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class SignInLimitsTests(SignInLimitsFixture stack) : IClassFixture<SignInLimitsFixture>
{
    [Fact]
    public async Task The_admin_token_turned_off_works_only_until_an_owner_exists()
    {
        Assert.Equal(HttpStatusCode.OK, stack.AdminTokenBeforeOwner);
        using var admin = stack.App.CreateAdminClient();
        using var after = await admin.GetAsync("/api/workspaces");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stack.Owner.Http.GetAsync("/api/workspaces")).StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_per_account_and_then_per_address_answer_429_with_retry_after()
    {
        var first = await CreateAccountAsync();
        for (var i = 0; i < SignInLimitsFixture.MaxFailuresPerAccount; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(first, "wrong password " + i)).StatusCode);
        }

        // Even the right password waits now: the account is being guessed.
        using var locked = await SignInAsync(first, TeamPeople.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), SignInLimitsFixture.FailureWindow);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType!.MediaType);

        // Another account from the same address has its own count until the address's count runs out.
        var second = await CreateAccountAsync();
        var remaining = SignInLimitsFixture.MaxFailuresPerAddress - SignInLimitsFixture.MaxFailuresPerAccount;
        for (var i = 0; i < remaining; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(second, "wrong again " + i)).StatusCode);
        }

        var third = await CreateAccountAsync();
        using var addressLocked = await SignInAsync(third, TeamPeople.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, addressLocked.StatusCode);
        Assert.NotNull(addressLocked.Headers.RetryAfter?.Delta);
    }

    private async Task<string> CreateAccountAsync()
    {
        var email = $"limits-{Guid.NewGuid():N}@example.com";
        using var created = await stack.Owner.Http.PostAsJsonAsync("/api/users", new { email, display_name = "Limits", password = TeamPeople.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return email;
    }

    private async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        using var anonymous = stack.App.CreateHttpClient(ResourceNames.Api);
        return await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password });
    }
}
