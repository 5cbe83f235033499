using CatSyphon.TestOidcProvider;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// Sign-in through a real OpenID Connect provider, invite-only: the code flow with PKCE runs against the provider, the
/// API checks the ID token itself (keys from the discovery document, issuer, audience, lifetime) and answers as password
/// sign-in does, with an access token that <c>GET /api/me</c> accepts.
/// </summary>
public sealed class OidcSignInTests(InviteOnlyOidcStack stack) : IClassFixture<InviteOnlyOidcStack>
{
    [Fact]
    public async Task The_provider_is_listed_for_the_sign_in_page_without_its_secret()
    {
        using var anonymous = stack.App.CreateHttpClient(ResourceNames.Api);
        var text = await anonymous.GetStringAsync("/api/auth/providers");

        var provider = Assert.Single(JsonDocument.Parse(text).RootElement.EnumerateArray());
        Assert.Equal("oidc", provider.GetProperty("name").GetString());
        Assert.Equal(OidcStack.DisplayName, provider.GetProperty("display_name").GetString());
        Assert.DoesNotContain(OidcStack.Web.ClientSecret!, text);
    }

    [Fact]
    public async Task An_unknown_email_is_refused_and_an_invited_one_signs_in_and_stays_linked_when_its_email_changes()
    {
        var person = stack.AddPerson();
        var (refused, problem) = await stack.SignInAsync(await stack.IdTokenAsync(person));
        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        Assert.Contains("ask an administrator to invite you", problem.GetProperty("detail").GetString());

        var id = await stack.InviteAsync(person);
        var me = await stack.SignInAndGetMeAsync(person);
        Assert.Equal(id, me.GetProperty("id").GetGuid());
        Assert.Equal(person.Email, me.GetProperty("email").GetString());
        Assert.Equal("member", me.GetProperty("organization_role").GetString());
        Assert.Equal("session", me.GetProperty("credential").GetString());

        // The first sign-in linked the account to the provider's subject, which finds it from now on, whatever the email.
        var renamed = stack.Provider.AddUser(person with { Email = $"renamed-{Guid.NewGuid():N}@example.com" });
        Assert.Equal(id, (await stack.SignInAndGetMeAsync(renamed)).GetProperty("id").GetGuid());

        // And another identity of the provider with the linked account's email does not get in.
        var impostor = stack.Provider.AddUser(new TestOidcUser(person.Email, "Someone else", []));
        var (status, _) = await stack.SignInAsync(await stack.IdTokenAsync(impostor));
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        var reasons = (await stack.FailedSignInsAsync()).Select(d => d.GetProperty("reason").GetString()).ToList();
        Assert.Contains("no_account", reasons);
        Assert.Contains("linked_to_another_identity", reasons);
    }

    [Fact]
    public async Task Groups_set_the_organization_role_at_every_sign_in()
    {
        var person = stack.AddPerson(OidcStack.AdminGroup, "unrelated-group");
        await stack.InviteAsync(person);
        Assert.Equal("admin", (await stack.SignInAndGetMeAsync(person)).GetProperty("organization_role").GetString());

        var promoted = stack.Provider.AddUser(person with { Groups = [OidcStack.AdminGroup, OidcStack.OwnerGroup] });
        Assert.Equal("owner", (await stack.SignInAndGetMeAsync(promoted)).GetProperty("organization_role").GetString());

        // Another owner exists, so taking this one out of the groups takes the role away at the next sign-in.
        var other = stack.AddPerson(OidcStack.OwnerGroup);
        await stack.InviteAsync(other);
        Assert.Equal("owner", (await stack.SignInAndGetMeAsync(other)).GetProperty("organization_role").GetString());
        var removed = stack.Provider.AddUser(person with { Groups = [] });
        Assert.Equal("member", (await stack.SignInAndGetMeAsync(removed)).GetProperty("organization_role").GetString());
    }

    [Fact]
    public async Task An_id_token_for_another_client_or_signed_with_another_key_is_refused()
    {
        var person = stack.AddPerson();
        await stack.InviteAsync(person);

        var forAnotherClient = await stack.IdTokenAsync(person, OidcStack.OtherApplication);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.SignInAsync(forAnotherClient)).Status);

        // Everything as the provider would write it, the key id included, but signed with a key the provider never had.
        var genuine = await stack.IdTokenAsync(person);
        var forged = Forge(genuine);
        var (status, problem) = await stack.SignInAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("not valid", problem.GetProperty("detail").GetString());

        // The genuine one still signs in, and no token shows in the audit log.
        Assert.Equal(HttpStatusCode.OK, (await stack.SignInAsync(genuine)).Status);
        var failures = await stack.FailedSignInsAsync();
        var errors = failures.Where(d => d.GetProperty("reason").GetString() == "invalid_token").Select(d => d.GetProperty("error").GetString()).ToList();
        Assert.Contains(nameof(SecurityTokenInvalidAudienceException), errors);
        Assert.Contains(nameof(SecurityTokenInvalidSignatureException), errors);
        var logged = string.Join("\n", failures.Select(d => d.GetRawText()));
        Assert.DoesNotContain(genuine.Split('.')[2], logged);
        Assert.DoesNotContain(forged.Split('.')[2], logged);
    }

    [Fact]
    public async Task A_disabled_account_is_refused_and_its_session_ends()
    {
        var person = stack.AddPerson();
        var id = await stack.InviteAsync(person);
        var (status, body) = await stack.SignInAsync(await stack.IdTokenAsync(person));
        Assert.Equal(HttpStatusCode.OK, status);
        using var signedIn = TeamPeople.Client(stack.App, body.GetProperty("access_token").GetString()!);

        using var admin = stack.App.CreateAdminClient();
        using var disabled = await admin.PatchAsJsonAsync($"/api/users/{id}", new { disabled = true });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        var (refused, problem) = await stack.SignInAsync(await stack.IdTokenAsync(person));
        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        Assert.Contains("disabled", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await signedIn.GetAsync("/api/me")).StatusCode);
    }

    /// <summary><paramref name="idToken"/>'s header and claims, signed with a new RSA key under the genuine key's id.</summary>
    private static string Forge(string idToken)
    {
        var genuine = new JsonWebToken(idToken);
        var claims = OidcCodeFlow.Payload(idToken).EnumerateObject()
            .Where(p => p.Name is not ("iat" or "exp" or "nbf"))
            .ToDictionary(p => p.Name, p => (object)p.Value.Clone());
        using var rsa = RSA.Create(2048);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = DateTime.UtcNow,
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = genuine.Kid }, SecurityAlgorithms.RsaSha256),
        });
    }
}

/// <summary>Accounts made at the first sign-in (<c>Oidc:AccountCreation=automatic</c>).</summary>
public sealed class OidcAccountCreationTests(AutomaticOidcStack stack) : IClassFixture<AutomaticOidcStack>
{
    [Fact]
    public async Task A_first_sign_in_creates_a_member_account_without_password_and_the_next_finds_it()
    {
        var person = stack.AddPerson();

        var me = await stack.SignInAndGetMeAsync(person);
        Assert.Equal(person.Email, me.GetProperty("email").GetString());
        Assert.Equal(person.Name, me.GetProperty("display_name").GetString());
        Assert.Equal("member", me.GetProperty("organization_role").GetString());
        var id = me.GetProperty("id").GetGuid();
        Assert.Equal(id, (await stack.SignInAndGetMeAsync(person)).GetProperty("id").GetGuid());

        using var admin = stack.App.CreateAdminClient();
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/users");
        var account = Assert.Single(users.EnumerateArray(), u => u.GetProperty("id").GetGuid() == id);
        Assert.False(account.GetProperty("has_password").GetBoolean());
    }

    [Fact]
    public async Task A_new_account_gets_the_role_of_its_groups()
    {
        var person = stack.AddPerson(OidcStack.AdminGroup);
        Assert.Equal("admin", (await stack.SignInAndGetMeAsync(person)).GetProperty("organization_role").GetString());
    }

    [Fact]
    public async Task An_email_the_provider_has_not_verified_creates_no_account()
    {
        var person = stack.Provider.AddUser(stack.AddPerson() with { EmailVerified = false });

        var (status, problem) = await stack.SignInAsync(await stack.IdTokenAsync(person));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("not verified", problem.GetProperty("detail").GetString());
        using var admin = stack.App.CreateAdminClient();
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/users");
        Assert.DoesNotContain(users.EnumerateArray(), u => u.GetProperty("email").GetString() == person.Email);
    }
}
