using CatSyphon.ApiService.Apis.People;
using CatSyphon.ApiService.Authentication;
using CatSyphon.Contracts;
using Microsoft.Extensions.Options;

namespace CatSyphon.ApiService.Tests;

/// <summary>What the OpenID Connect settings decide without a provider: the sign-in page's list, and roles from groups.</summary>
public sealed class OidcOptionsTests
{
    [Fact]
    public void Without_an_authority_no_provider_is_listed()
    {
        var providers = AuthApi.Providers(Options.Create(new OidcOptions { ClientId = "web", ClientSecret = "secret" }));

        Assert.Empty(providers.Value!);
    }

    [Fact]
    public void With_an_authority_the_provider_is_listed_by_name_and_display_name_only()
    {
        var options = new OidcOptions { Authority = "https://idp.example.com/", ClientId = "web", ClientSecret = "secret", DisplayName = "Okta" };

        var provider = Assert.Single(AuthApi.Providers(Options.Create(options)).Value!);

        Assert.Equal(new SignInProviderView("oidc", "Okta"), provider);
    }

    [Fact]
    public void A_person_gets_the_highest_role_of_their_groups_and_member_without_a_listed_one()
    {
        var options = new OidcOptions
        {
            GroupsClaim = "groups",
            GroupRoles = new() { ["Staff"] = "member", ["platform-admins"] = "admin", ["founders"] = "owner" },
        };

        Assert.Equal(OrganizationRole.Admin, options.RoleFor(["staff", "Platform-Admins"]));
        Assert.Equal(OrganizationRole.Owner, options.RoleFor(["platform-admins", "founders"]));
        Assert.Equal(OrganizationRole.Member, options.RoleFor(["someone-elses-group"]));
        Assert.Equal(OrganizationRole.Member, options.RoleFor([]));
    }
}
